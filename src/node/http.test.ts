import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PROVIDED_BODIES, providedBody, realRequest, requestSignal } from '../http/adapter.ts';
import { jsonResponse } from '../http/reply.ts';
import { type HttpServerHandle, serveHttp } from './http.ts';

let handle: HttpServerHandle | undefined;

/** Sends raw request bytes in parts (with a pause between them) and returns the raw response text. */
function rawExchange(port: number, parts: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      text += d;
    });
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
    socket.on('connect', async () => {
      for (const [i, part] of parts.entries()) {
        if (i > 0) await new Promise((r) => setTimeout(r, 30));
        socket.write(part);
      }
    });
  });
}

/** The head of a raw response: status line and lower-cased header names to values. */
function head(text: string): { status: string; headers: Record<string, string>; body: string } {
  const end = text.indexOf('\r\n\r\n');
  const lines = text.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: lines[0] as string, headers, body: text.slice(end + 4) };
}
afterEach(async () => {
  await handle?.close();
  handle = undefined;
});

describe('serveHttp / toNodeHandler', () => {
  it('binds 127.0.0.1 by default and passes method, URL, headers and body to the handler', async () => {
    let seen: { method: string; url: string; host: string | null; body: string } | undefined;
    handle = await serveHttp(
      async (req) => {
        seen = { method: req.method, url: req.url, host: req.headers.get('host'), body: await req.text() };
        return new Response('ok', { status: 201, headers: { 'x-one': '1' } });
      },
      { port: 0 },
    );
    expect(handle.url).toBe(`http://127.0.0.1:${handle.port}`);
    expect((handle.server.address() as { address: string }).address).toBe('127.0.0.1');
    const res = await fetch(`${handle.url}/a/b?c=d`, { method: 'POST', body: 'hello' });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-one')).toBe('1');
    expect(await res.text()).toBe('ok');
    expect(seen).toEqual({
      method: 'POST',
      url: `http://127.0.0.1:${handle.port}/a/b?c=d`,
      host: `127.0.0.1:${handle.port}`,
      body: 'hello',
    });
  });

  it('gives a handler marked PROVIDED_BODIES a light Request: body and signal beside it, headers as Headers reads them', async () => {
    let seen: Record<string, unknown> | undefined;
    const marked = Object.assign(
      async (req: Request) => {
        const bytes = providedBody(req);
        const real = realRequest(req);
        const listed: [string, string][] = [];
        req.headers.forEach((value, name) => {
          if (name.startsWith('x-')) listed.push([name, value]);
        });
        seen = {
          body: req.body,
          provided: bytes && new TextDecoder().decode(bytes),
          signal: requestSignal(req) === req.signal && !req.signal.aborted,
          method: req.method,
          url: req.url,
          mixedCase: req.headers.get('X-Twice'),
          missing: req.headers.get('x-none'),
          listed,
          real: real instanceof Request && realRequest(req) === real,
          realHeader: real.headers.get('x-twice'),
          realBody: real.body,
        };
        return jsonResponse(200, '{"ok":true}');
      },
      { [PROVIDED_BODIES]: true },
    );
    handle = await serveHttp(marked, { port: 0 });
    const text = await rawExchange(handle.port, [
      'POST /mcp?a=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Twice: one\r\nx-twice: two\r\nX-Alpha: a\r\n' +
        'Content-Length: 11\r\nConnection: close\r\n\r\n{"hello":1}',
    ]);
    const { headers, body } = head(text);
    expect(headers['content-length']).toBe('11');
    expect(body).toBe('{"ok":true}');
    expect(seen).toEqual({
      body: null,
      provided: '{"hello":1}',
      signal: true,
      method: 'POST',
      url: 'http://127.0.0.1/mcp?a=1',
      mixedCase: 'one, two',
      missing: null,
      listed: [
        ['x-alpha', 'a'],
        ['x-twice', 'one, two'],
      ],
      real: true,
      realHeader: 'one, two',
      realBody: null,
    });
    await handle.close();
    // An unmarked handler gets a real Request with the body as a stream, as usual.
    let plain: { real: boolean; stream: boolean; provided: boolean; text: string } | undefined;
    handle = await serveHttp(
      async (req) => {
        plain = {
          real: req instanceof Request,
          stream: req.body !== null,
          provided: providedBody(req) !== undefined,
          text: await req.text(),
        };
        return new Response('ok');
      },
      { port: 0 },
    );
    await (await fetch(`${handle.url}/mcp`, { method: 'POST', body: '{"hello":2}' })).text();
    expect(plain).toEqual({ real: true, stream: true, provided: false, text: '{"hello":2}' });
  });

  it('keeps every Set-Cookie header', async () => {
    handle = await serveHttp(
      async () => {
        const h = new Headers();
        h.append('set-cookie', 'a=1');
        h.append('set-cookie', 'b=2');
        return new Response(null, { status: 204, headers: h });
      },
      { port: 0 },
    );
    const res = await fetch(handle.url);
    expect(res.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
  });

  it('streams the body as it is produced', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    handle = await serveHttp(
      async () =>
        new Response(
          new ReadableStream<Uint8Array>({
            async start(c) {
              c.enqueue(new TextEncoder().encode('first'));
              await gate;
              c.enqueue(new TextEncoder().encode('second'));
              c.close();
            },
          }),
        ),
      { port: 0 },
    );
    const res = await fetch(handle.url);
    const reader = (res.body as ReadableStream<BufferSource>)
      .pipeThrough(new TextDecoderStream())
      .getReader();
    expect((await reader.read()).value).toBe('first');
    release();
    expect((await reader.read()).value).toBe('second');
    expect((await reader.read()).done).toBe(true);
  });

  it('aborts the request signal and cancels the body when the client goes away', async () => {
    let aborted = false;
    let cancelled = false;
    let started: () => void = () => {};
    const begun = new Promise<void>((r) => {
      started = r;
    });
    handle = await serveHttp(
      async (req) => {
        req.signal.addEventListener('abort', () => {
          aborted = true;
        });
        return new Response(
          new ReadableStream<Uint8Array>({
            start(c) {
              c.enqueue(new TextEncoder().encode('x'));
              started();
            },
            cancel() {
              cancelled = true;
            },
          }),
        );
      },
      { port: 0 },
    );
    const req = httpRequest(`${handle.url}/`, (res) => {
      res.once('data', () => req.destroy());
    });
    req.on('error', () => {});
    req.end();
    await begun;
    for (let i = 0; i < 200 && !(aborted && cancelled); i++) await new Promise((r) => setTimeout(r, 10));
    expect(aborted).toBe(true);
    expect(cancelled).toBe(true);
  });

  it('answers 500 when the handler throws, and close() ends open streams', async () => {
    handle = await serveHttp(
      async (req) => {
        if (req.url.endsWith('/boom')) throw new Error('boom');
        return new Response(new ReadableStream<Uint8Array>({ start: (c) => c.enqueue(new Uint8Array([1])) }));
      },
      { port: 0 },
    );
    expect((await fetch(`${handle.url}/boom`)).status).toBe(500);
    const open = await fetch(handle.url);
    const reader = (open.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    const closing = handle.close();
    handle = undefined;
    await closing;
    await expect(reader.read()).rejects.toThrow();
  });

  it('hands over bodies that come after the headers, in pieces, chunked or large, byte for byte', async () => {
    const seen: string[] = [];
    handle = await serveHttp(
      async (req) => {
        seen.push(await req.text());
        return new Response('ok');
      },
      { port: 0 },
    );
    const port = handle.port;
    const late = await rawExchange(port, [
      'POST /late HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\nConnection: close\r\n\r\n',
      'hello',
      ' world',
    ]);
    expect(head(late).status).toBe('HTTP/1.1 200 OK');
    const chunked = await rawExchange(port, [
      'POST /chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\nabc\r\n',
      '2\r\nde\r\n0\r\n\r\n',
    ]);
    expect(head(chunked).status).toBe('HTTP/1.1 200 OK');
    const large = 'é'.repeat(150_000); // 300,000 bytes, more than one socket read
    const res = await fetch(`${handle.url}/large`, { method: 'POST', body: large });
    expect(res.status).toBe(200);
    const empty = await fetch(`${handle.url}/empty`, { method: 'DELETE' });
    expect(empty.status).toBe(200);
    expect(seen).toEqual(['hello world', 'abcde', large, '']);
  });

  it('answers JSON in one piece with its Content-Length, and streams other bodies chunked', async () => {
    const encoder = new TextEncoder();
    handle = await serveHttp(
      async (req) => {
        const parts = ['{"a":', '"é"}'];
        const body = new ReadableStream<Uint8Array>({
          start(c) {
            for (const part of parts) c.enqueue(encoder.encode(part));
            c.close();
          },
        });
        const type = req.url.endsWith('/json')
          ? 'application/json; charset=utf-8'
          : req.url.endsWith('/problem')
            ? 'application/problem+json'
            : 'text/event-stream';
        const headers = new Headers({ 'content-type': type });
        headers.append('set-cookie', 'a=1');
        headers.append('set-cookie', 'b=2');
        return new Response(body, { status: 201, headers });
      },
      { port: 0 },
    );
    for (const path of ['/json', '/problem']) {
      const text = await rawExchange(handle.port, [
        `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
      ]);
      const { status, headers, body } = head(text);
      expect(status).toBe('HTTP/1.1 201 Created');
      expect(headers['content-length']).toBe('10');
      expect(headers['transfer-encoding']).toBeUndefined();
      expect(Buffer.from(body, 'latin1').toString('utf8')).toBe('{"a":"é"}');
      expect(text.split('\r\n').filter((line) => /^set-cookie:/i.test(line))).toEqual([
        'set-cookie: a=1',
        'set-cookie: b=2',
      ]);
    }
    const sse = head(
      await rawExchange(handle.port, ['GET /sse HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n']),
    );
    expect(sse.headers['transfer-encoding']).toBe('chunked');
    expect(sse.headers['content-length']).toBeUndefined();
  });

  it('builds the URL from Host and the target exactly as resolving the target against the host does', async () => {
    const urls: string[] = [];
    handle = await serveHttp(
      async (req) => {
        urls.push(req.url);
        return new Response(null, { status: 204 });
      },
      { port: 0 },
    );
    const cases: [string | undefined, string][] = [
      ['example.com:8080', '/a/b?c=d#e'],
      ['EXAMPLE.com', '/x/../y'],
      ['[::1]:9', '/v6'],
      ['a?x', '/p'],
      ['a/b', '/p'],
      ['h', '//evil.example/x'],
      ['h:99999', '/port'],
      ['bad host', '/space'],
      [undefined, '/nohost'],
    ];
    for (const [host, target] of cases) {
      const hostLine = host === undefined ? '' : `Host: ${host}\r\n`;
      const text = await rawExchange(handle.port, [`GET ${target} HTTP/1.0\r\n${hostLine}\r\n`]);
      expect(head(text).status, `${host} ${target}`).toBe('HTTP/1.1 204 No Content');
    }
    const expected = cases.map(([host, target]) => {
      try {
        return new URL(target, `http://${host ?? 'localhost'}`).href;
      } catch {
        return new URL(target, 'http://localhost').href;
      }
    });
    expect(urls).toEqual(expected);
    expect(urls[0]).toBe('http://example.com:8080/a/b?c=d#e');
    expect(urls[3]).toBe('http://a/p');
  });
});
