import { describe, expect, it } from 'vitest';
import { completeResponse } from './reply.ts';
import { SseConnection, type SseSink, sseConnectionOf, sseResponse } from './sse.ts';

const options = { keepAliveMs: 0, maxBufferedBytes: 1024 };

function sink(backlog = 0): SseSink & { text: string; ended: boolean } {
  return {
    text: '',
    ended: false,
    write(t) {
      this.text += t;
    },
    end() {
      this.ended = true;
    },
    backlog: () => backlog,
  };
}

describe('SseConnection', () => {
  it('keeps what is written before a reader comes, then gives it to a sink in order, and ends it', () => {
    const conn = new SseConnection(options);
    conn.event('{"a":1}', '1', 'message');
    const s = sink();
    conn.pipe(s);
    conn.event('{"b":2}');
    expect(s.ended).toBe(false);
    conn.end();
    expect(s.text).toBe('event: message\nid: 1\ndata: {"a":1}\n\ndata: {"b":2}\n\n');
    expect(s.ended).toBe(true);
    expect(conn.write('x')).toBe(false);
  });

  it('a connection that ended before its reader came still delivers everything, to a body stream too', async () => {
    const conn = new SseConnection(options);
    conn.event('one');
    conn.end();
    expect(await new Response(conn.body).text()).toBe('data: one\n\n');
    const other = new SseConnection(options);
    other.event('two');
    const body = other.body;
    other.event('three');
    other.end();
    expect(await new Response(body).text()).toBe('data: two\n\ndata: three\n\n');
    expect(() => other.pipe(sink())).toThrow('already has a reader');
  });

  it('drops a reader that falls maxBufferedBytes behind, and runs onClose once', () => {
    let closed = 0;
    const conn = new SseConnection({ ...options, onClose: () => closed++ });
    const slow = sink(2048);
    conn.pipe(slow);
    expect(conn.write('data: x\n\n')).toBe(false);
    expect(conn.closed).toBe(true);
    expect(slow.ended).toBe(true);
    expect(closed).toBe(1);
    // Before any reader, the same cap holds for what waits.
    const unread = new SseConnection(options);
    expect(unread.write('x'.repeat(2000))).toBe(true);
    expect(unread.write('y')).toBe(false);
  });

  it('an sseResponse has no body until completed for an ordinary caller; its connection is there for adapters', async () => {
    const conn = new SseConnection(options);
    const response = sseResponse(conn, { 'content-type': 'text/event-stream', 'mcp-session-id': 's' });
    expect(response.body).toBeNull();
    expect(sseConnectionOf(response)).toBe(conn);
    const complete = completeResponse(new Request('http://localhost/mcp'), response);
    expect(complete.headers.get('mcp-session-id')).toBe('s');
    conn.event('hi');
    conn.end();
    expect(await complete.text()).toBe('data: hi\n\n');
  });

  it('keeps every open connection alive on one clock per period, and stops with the last one', async () => {
    const every = { ...options, keepAliveMs: 15 };
    const [a, b] = [new SseConnection(every), new SseConnection(every)];
    const [sa, sb] = [sink(), sink()];
    a.pipe(sa);
    b.pipe(sb);
    const ping = ': keep-alive\n\n';
    const until = async (done: () => boolean) => {
      while (!done()) await new Promise((resolve) => setTimeout(resolve, 5));
    };
    await until(() => sa.text.includes(ping) && sb.text.includes(ping));
    a.end();
    const aText = sa.text;
    const bCount = sb.text.split(ping).length;
    await until(() => sb.text.split(ping).length >= bCount + 2);
    expect(sa.text).toBe(aText); // an ended connection is left alone
    b.end();
    // A connection whose client had gone before it opened is never written to.
    const gone = new AbortController();
    gone.abort();
    const late = new SseConnection({ ...every, signal: gone.signal });
    expect(late.closed).toBe(true);
    const fresh = new SseConnection(every);
    const sf = sink();
    fresh.pipe(sf);
    await until(() => sf.text.includes(ping));
    fresh.end();
  });
});
