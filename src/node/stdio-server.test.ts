import { spawn } from 'node:child_process';
import { PassThrough, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConnectionClosedError } from '../protocol/index.ts';
import type { TransportSink } from '../rpc/index.ts';
import { StdioServerTransport } from './stdio-server.ts';

const ECHO_SERVER = fileURLToPath(new URL('../../test/fixtures/stdio-echo-server.ts', import.meta.url));

interface RecordingSink extends TransportSink {
  frames: string[];
  closes: (Error | undefined)[];
  closed: (reason?: Error) => void;
  whenClosed: Promise<Error | undefined>;
}

function recordingSink(): RecordingSink {
  let onClose: (reason: Error | undefined) => void = () => {};
  const whenClosed = new Promise<Error | undefined>((resolve) => {
    onClose = resolve;
  });
  const sink: RecordingSink = {
    frames: [],
    closes: [],
    whenClosed,
    receive: () => {},
    receiveText: (text) => sink.frames.push(text),
    closed: (reason) => {
      sink.closes.push(reason);
      onClose(reason);
    },
  };
  return sink;
}

/** Collects everything written to a stream, as text. */
function collect(stream: PassThrough): () => string {
  let text = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    text += chunk;
  });
  return () => text;
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('StdioServerTransport (in-process streams)', () => {
  it('delivers each line to the sink and closes once when stdin ends', async () => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const transport = new StdioServerTransport({ stdin, stdout });
    const sink = recordingSink();
    transport.start(sink);
    stdin.write('{"jsonrpc":"2.0","id":1,');
    stdin.write('"method":"ping"}\r\n\n{"jsonrpc":"2.0","method":"n"}\n{"jsonrpc":"2.0","method":"last"}');
    stdin.end();
    expect(await sink.whenClosed).toBeUndefined();
    expect(sink.frames).toEqual([
      '{"jsonrpc":"2.0","id":1,"method":"ping"}',
      '{"jsonrpc":"2.0","method":"n"}',
      '{"jsonrpc":"2.0","method":"last"}',
    ]);
    await transport.close();
    expect(sink.closes).toHaveLength(1);
  });

  it('writes each message as one JSON line', async () => {
    const stdout = new PassThrough();
    const output = collect(stdout);
    const transport = new StdioServerTransport({ stdin: new PassThrough(), stdout });
    transport.start(recordingSink());
    await transport.send({ jsonrpc: '2.0', id: 1, result: { text: 'two\nlines' } });
    await transport.send({ jsonrpc: '2.0', method: 'notifications/progress' });
    await tick();
    expect(output()).toBe(
      '{"jsonrpc":"2.0","id":1,"result":{"text":"two\\nlines"}}\n{"jsonrpc":"2.0","method":"notifications/progress"}\n',
    );
    await transport.close();
  });

  it('answers an oversize message with an Invalid Request error and reads on', async () => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const output = collect(stdout);
    const errors: Error[] = [];
    const transport = new StdioServerTransport({
      stdin,
      stdout,
      maxFrameBytes: 64,
      onError: (e) => errors.push(e),
    });
    const sink = recordingSink();
    transport.start(sink);
    stdin.write(`{"jsonrpc":"2.0","id":1,"method":"big","params":{"s":"${'x'.repeat(100)}`);
    stdin.write(`${'y'.repeat(100)}"}}\n{"jsonrpc":"2.0","id":2,"method":"small"}\n`);
    // Its id after a long params: not readable from the start of the line, so answered with id null.
    stdin.write(`{"jsonrpc":"2.0","method":"big","params":{"s":"${'x'.repeat(2_000)}"},"id":3}\n`);
    stdin.end();
    await sink.whenClosed;
    await tick();
    expect(sink.frames).toEqual(['{"jsonrpc":"2.0","id":2,"method":"small"}']);
    const lines = output().trim().split('\n');
    expect(lines).toHaveLength(2);
    const [response, unread] = lines.map((l) => JSON.parse(l));
    expect(response.id).toBe(1);
    expect(response.error.code).toBe(-32600);
    expect(response.error.message).toContain('64-byte');
    expect(response.error.message).toContain('maxFrameBytes');
    expect(unread.id).toBeNull();
    expect(unread.error.code).toBe(-32600);
    expect(errors).toHaveLength(2);
  });

  it('waits for drain before handing more to a full stdout, and keeps the order', async () => {
    const chunks: string[] = [];
    const callbacks: (() => void)[] = [];
    const stdout = new Writable({
      highWaterMark: 8,
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk.toString());
        callbacks.push(() => callback());
      },
    });
    const transport = new StdioServerTransport({ stdin: new PassThrough(), stdout });
    transport.start(recordingSink());
    const settled: string[] = [];
    const first = transport.send({ jsonrpc: '2.0', method: 'first' }).then(() => settled.push('first'));
    const second = transport.send({ jsonrpc: '2.0', method: 'second' }).then(() => settled.push('second'));
    const third = transport.send({ jsonrpc: '2.0', method: 'third' }).then(() => settled.push('third'));
    await tick();
    // Only the first message has reached the stream (which took it at once); the others wait for 'drain'.
    expect(stdout.writableLength).toBe('{"jsonrpc":"2.0","method":"first"}\n'.length);
    expect(settled).toEqual(['first']);
    callbacks.shift()!();
    await first;
    while (settled.length < 3) {
      await tick();
      callbacks.shift()?.();
    }
    await Promise.all([second, third]);
    expect(chunks.map((c) => JSON.parse(c).method)).toEqual(['first', 'second', 'third']);
    expect(settled).toEqual(['first', 'second', 'third']);
    await transport.close();
  });

  it('rejects sends after close', async () => {
    const transport = new StdioServerTransport({ stdin: new PassThrough(), stdout: new PassThrough() });
    const sink = recordingSink();
    transport.start(sink);
    await transport.close();
    await expect(transport.send({ jsonrpc: '2.0', method: 'late' })).rejects.toBeInstanceOf(
      ConnectionClosedError,
    );
    expect(sink.closes).toEqual([undefined]);
  });

  it('reports a failed stdout write as a close with a reason, without throwing', async () => {
    const stdout = new Writable({
      write(_chunk, _encoding, callback) {
        callback(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    const transport = new StdioServerTransport({ stdin: new PassThrough(), stdout });
    const sink = recordingSink();
    transport.start(sink);
    // The stream takes the frame, then fails it: the transport closes with the reason.
    await transport.send({ jsonrpc: '2.0', method: 'x' }).catch(() => {});
    const reason = await sink.whenClosed;
    expect(reason).toBeInstanceOf(ConnectionClosedError);
    expect(reason?.message).toContain('EPIPE');
    await expect(transport.send({ jsonrpc: '2.0', method: 'y' })).rejects.toBeInstanceOf(
      ConnectionClosedError,
    );
  });

  it('redirects console.log while open when asked, and restores it on close', async () => {
    const original = console.log;
    const transport = new StdioServerTransport({
      stdin: new PassThrough(),
      stdout: new PassThrough(),
      redirectConsole: true,
    });
    transport.start(recordingSink());
    expect(console.log).not.toBe(original);
    await transport.close();
    expect(console.log).toBe(original);
  });

  it('leaves console alone by default when the output is not process.stdout', async () => {
    const original = console.log;
    const transport = new StdioServerTransport({ stdin: new PassThrough(), stdout: new PassThrough() });
    transport.start(recordingSink());
    expect(console.log).toBe(original);
    await transport.close();
  });
});

/** Runs the echo server as a child, writes `input`, and collects its output until it exits. */
function runServer(
  input: string[],
  options: { destroyStdout?: boolean; endStdin?: boolean; env?: Record<string, string> } = {},
): Promise<{ stdout: string; stderr: string; code: number | null; signal: NodeJS.Signals | null }> {
  const child = spawn(process.execPath, [ECHO_SERVER], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (t: string) => {
    stdout += t;
  });
  child.stderr.setEncoding('utf8').on('data', (t: string) => {
    stderr += t;
  });
  child.stdin.on('error', () => {});
  if (options.destroyStdout) child.stdout.destroy();
  for (const line of input) child.stdin.write(line);
  if (options.endStdin !== false) child.stdin.end();
  return new Promise((resolve) => {
    child.on('close', (code, signal) => resolve({ stdout, stderr, code, signal }));
  });
}

describe('StdioServerTransport (real child process)', () => {
  it('keeps console output off stdout: stdout carries JSON-RPC lines only', async () => {
    const { stdout, stderr, code } = await runServer([
      '{"jsonrpc":"2.0","id":1,"method":"log"}\n',
      '{"jsonrpc":"2.0","id":2,"method":"echo","params":{"x":1}}\n',
    ]);
    expect(code).toBe(0);
    const lines = stdout.split('\n').filter((l) => l !== '');
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      { jsonrpc: '2.0', id: 1, result: { logged: true } },
      { jsonrpc: '2.0', id: 2, result: { echoed: { x: 1 } } },
    ]);
    expect(stdout).not.toContain('noise');
    for (const text of ['console.log noise at startup', 'console.log noise', 'console.info noise', 'table']) {
      expect(stderr).toContain(text);
    }
  });

  it('exits by itself when stdin ends', async () => {
    const { code, signal, stderr } = await runServer([]);
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(stderr).toContain('server closed: stdin ended');
  });

  it('answers an oversize line with a -32600 error carrying its id, then serves the next request', async () => {
    const { stdout } = await runServer(
      [
        `{"jsonrpc":"2.0","id":1,"method":"echo","params":{"s":"${'z'.repeat(500)}"}}\n`,
        '{"jsonrpc":"2.0","id":2,"method":"pid"}\n',
      ],
      { env: { MCPKIT_MAX_FRAME: '200' } },
    );
    const [first, second] = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(first).toMatchObject({ jsonrpc: '2.0', id: 1, error: { code: -32600 } });
    expect(first.error.message).toContain('200-byte');
    expect(second).toMatchObject({ id: 2, result: { pid: expect.any(Number) } });
  });

  it('survives EPIPE when the client stops reading: no crash, the transport closes with the reason', async () => {
    const { code, signal, stderr } = await runServer(['{"jsonrpc":"2.0","id":1,"method":"echo"}\n'], {
      destroyStdout: true,
      endStdin: false,
    });
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(stderr).toContain('server closed: Writing to stdout failed');
    expect(stderr).toContain('EPIPE');
    expect(stderr).not.toContain('Unhandled');
  });
});
