import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionClosedError, type JsonRpcNotification, LocalError } from '../protocol/index.ts';
import { JsonRpcPeer, type TransportSink } from '../rpc/index.ts';
import {
  getDefaultEnvironment,
  ProcessExitedError,
  StdioClientTransport,
  type StdioClientTransportOptions,
} from './stdio-client.ts';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`../../test/fixtures/${name}`, import.meta.url));

interface Connected {
  peer: JsonRpcPeer;
  transport: StdioClientTransport;
  /** Resolves with the first notification of this method (already received or still to come). */
  notification(method: string): Promise<JsonRpcNotification>;
  /** Resolves with the close reason. */
  closed: Promise<Error | undefined>;
}

const open: StdioClientTransport[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
});

/** Starts a fixture as a child and connects a JsonRpcPeer to it. */
async function connect(
  script: string,
  options: Partial<StdioClientTransportOptions> = {},
  args: string[] = [],
): Promise<Connected> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [fixture(script), ...args],
    shutdownTimeoutMs: 300,
    ...options,
  });
  open.push(transport);
  const seen: JsonRpcNotification[] = [];
  const waiting: { method: string; resolve: (n: JsonRpcNotification) => void }[] = [];
  let onClose: (reason: Error | undefined) => void = () => {};
  const closed = new Promise<Error | undefined>((resolve) => {
    onClose = resolve;
  });
  const peer = new JsonRpcPeer({
    onRequest: () => ({}),
    onNotification: (n) => {
      seen.push(n);
      for (const w of waiting.filter((x) => x.method === n.method)) w.resolve(n);
    },
    onClose: (reason) => onClose(reason),
    onError: () => {},
  });
  await peer.connect(transport);
  return {
    peer,
    transport,
    closed,
    notification: (method) => {
      const found = seen.find((n) => n.method === method);
      if (found) return Promise.resolve(found);
      return new Promise((resolve) => waiting.push({ method, resolve }));
    },
  };
}

describe('StdioClientTransport', () => {
  it('makes round trips with a server child and shuts it down by closing stdin', async () => {
    const { peer, transport, closed } = await connect('stdio-echo-server.ts');
    const params = { text: 'ünïcødé 😀 and a\nnewline', n: [1, 2, 3] };
    expect(await peer.request('echo', params)).toEqual({ echoed: params });
    const { pid } = await peer.request<{ pid: number }>('pid');
    expect(transport.pid).toBe(pid);
    const many = await Promise.all(Array.from({ length: 50 }, (_, i) => peer.request('echo', { i })));
    expect(many).toEqual(Array.from({ length: 50 }, (_, i) => ({ echoed: { i } })));
    await peer.close();
    expect(await closed).toBeUndefined();
    // The server saw stdin end and exited on its own.
    expect({ code: transport.exitCode, signal: transport.exitSignal }).toEqual({ code: 0, signal: null });
    expect(transport.stderrTail).toContain('server closed: stdin ended');
  });

  it('passes only the safe default environment plus the given variables', async () => {
    process.env.MCPKIT_TEST_SECRET = 'do-not-leak';
    try {
      const { notification } = await connect('stdio-env.mjs', { env: { MCPKIT_GIVEN: 'given-value' } });
      const env = (await notification('env')).params?.env as Record<string, string>;
      expect(env.MCPKIT_TEST_SECRET).toBeUndefined();
      expect(env.MCPKIT_GIVEN).toBe('given-value');
      expect(env.PATH).toBe(process.env.PATH);
      const allowed = new Set([...Object.keys(getDefaultEnvironment()), 'MCPKIT_GIVEN']);
      // The OS or the runtime may add a few of its own (e.g. a working directory); none come from us.
      const leaked = Object.keys(env).filter((k) => !allowed.has(k) && process.env[k] !== undefined);
      expect(leaked).toEqual([]);
    } finally {
      delete process.env.MCPKIT_TEST_SECRET;
    }
  });

  it('getDefaultEnvironment keeps only the allowed variables', () => {
    process.env.MCPKIT_TEST_SECRET = 'do-not-leak';
    try {
      const env = getDefaultEnvironment();
      expect(env.MCPKIT_TEST_SECRET).toBeUndefined();
      expect(env.PATH).toBe(process.env.PATH);
      for (const key of Object.keys(env)) {
        expect(['HOME', 'LOGNAME', 'PATH', 'SHELL', 'TERM', 'USER']).toContain(key);
      }
    } finally {
      delete process.env.MCPKIT_TEST_SECRET;
    }
  });

  it('sends SIGTERM to a server that ignores the end of stdin', async () => {
    const { transport, notification, closed } = await connect('stdio-ignore-stdin.mjs');
    await notification('ready');
    await transport.close();
    expect(await closed).toBeUndefined();
    expect({ code: transport.exitCode, signal: transport.exitSignal }).toEqual({
      code: null,
      signal: 'SIGTERM',
    });
  });

  it('sends SIGKILL to a server that ignores SIGTERM', async () => {
    const { transport, notification } = await connect('stdio-ignore-sigterm.mjs');
    await notification('ready');
    await transport.close();
    expect({ code: transport.exitCode, signal: transport.exitSignal }).toEqual({
      code: null,
      signal: 'SIGKILL',
    });
    expect(transport.stderrTail).toContain('ignoring SIGTERM');
  });

  it('reports a crash with the exit code and the end of stderr', async () => {
    const stderrSeen: string[] = [];
    const { peer, closed } = await connect('stdio-crash.mjs', { onStderr: (t) => stderrSeen.push(t) });
    const failure = peer.request('anything').then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    const reason = await closed;
    expect(reason).toBeInstanceOf(ProcessExitedError);
    expect(reason).toBeInstanceOf(ConnectionClosedError);
    const exited = reason as ProcessExitedError;
    expect(exited.exitCode).toBe(3);
    expect(exited.signal).toBeNull();
    expect(exited.stderrTail).toContain('fatal: the widget store is corrupt');
    expect(exited.message).toContain('code 3');
    expect(exited.message).toContain('fatal: the widget store is corrupt');
    expect(stderrSeen.join('')).toContain('fatal: the widget store is corrupt');
    // The pending request fails with the same explanation.
    const error = await failure;
    expect(error).toBeInstanceOf(ConnectionClosedError);
    expect(error?.message).toContain('fatal: the widget store is corrupt');
  });

  it('keeps only the last 20 lines of stderr', async () => {
    const { peer, closed } = await connect('stdio-crash.mjs', {}, ['200']);
    peer.notify('go').catch(() => {});
    const { stderrTail } = (await closed) as ProcessExitedError;
    const lines = stderrTail.split('\n');
    expect(lines).toHaveLength(20);
    expect(lines.at(-1)).toBe('fatal: the widget store is corrupt');
    expect(lines[0]).toBe('stderr line 182');
  });

  it('keeps no stderr when told to ignore it', async () => {
    const { peer, closed } = await connect('stdio-crash.mjs', { stderr: 'ignore' });
    peer.notify('go').catch(() => {});
    const reason = (await closed) as ProcessExitedError;
    expect(reason.exitCode).toBe(3);
    expect(reason.stderrTail).toBe('');
  });

  it('treats a server that exits with code 0 on its own as a clean close', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ['-e', 'process.exit(0)'],
    });
    open.push(transport);
    let resolveClosed: (reason: Error | undefined) => void = () => {};
    const closed = new Promise<Error | undefined>((resolve) => {
      resolveClosed = resolve;
    });
    const sink: TransportSink = { receive: () => {}, receiveText: () => {}, closed: (r) => resolveClosed(r) };
    await transport.start(sink);
    expect(await closed).toBeUndefined();
    await expect(transport.send({ jsonrpc: '2.0', method: 'late' })).rejects.toBeInstanceOf(
      ConnectionClosedError,
    );
  });

  it('rejects start() with an error naming a command that does not exist', async () => {
    const transport = new StdioClientTransport({ command: 'mcpkit-no-such-server-command' });
    const sink: TransportSink = { receive: () => {}, receiveText: () => {}, closed: () => {} };
    const error = await transport.start(sink).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(LocalError);
    expect(error?.message).toContain("'mcpkit-no-such-server-command'");
    expect(error?.message).toContain('ENOENT');
    await transport.close();
  });

  it('closed as it starts, spawns nothing: start() rejects and the sink is told once', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [fixture('stdio-echo-server.ts')],
    });
    let closes = 0;
    const sink: TransportSink = { receive: () => {}, receiveText: () => {}, closed: () => void closes++ };
    const starting = transport.start(sink);
    await transport.close();
    const error = await starting.then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(LocalError);
    expect(error?.message).toBe('StdioClientTransport was closed before its server was started.');
    expect(transport.pid).toBeUndefined();
    expect(closes).toBe(1);
  });

  it('skips an oversize line from the server, reports it once, and reads on', async () => {
    const errors: Error[] = [];
    const { notification } = await connect(
      'stdio-print.mjs',
      { maxFrameBytes: 100, onError: (e) => errors.push(e) },
      [
        `{"jsonrpc":"2.0","method":"huge","params":{"s":"${'q'.repeat(1000)}"}}\n{"jsonrpc":"2.0","method":"after"}\n`,
      ],
    );
    await notification('after');
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toContain('100-byte');
  });
});
