import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { StdioClientTransport } from '../src/node/index.ts';
import { LocalError, McpError } from '../src/protocol/index.ts';
import { JsonRpcPeer } from '../src/rpc/index.ts';
import { NODE, ROOT, runCli } from './fixtures/cli-process.ts';

const ECHO_SERVER = fileURLToPath(new URL('./fixtures/stdio-echo-server.ts', import.meta.url));

const open: StdioClientTransport[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
});

/** A peer on a real stdio child running the echo server; the request timeout is a minute. */
async function echoPeer(
  clientMaxFrame?: number,
  serverMaxFrame?: number,
): Promise<{ peer: JsonRpcPeer; errors: Error[] }> {
  const errors: Error[] = [];
  const transport = new StdioClientTransport({
    command: NODE,
    args: [ECHO_SERVER],
    env: serverMaxFrame === undefined ? {} : { MCPKIT_MAX_FRAME: String(serverMaxFrame) },
    maxFrameBytes: clientMaxFrame,
    onError: (e) => errors.push(e),
    shutdownTimeoutMs: 300,
  });
  open.push(transport);
  const peer = new JsonRpcPeer({
    onRequest: () => ({}),
    onError: (e) => errors.push(e),
    timeout: 60_000,
  });
  await peer.connect(transport);
  return { peer, errors };
}

describe('stdio frames over maxFrameBytes end their request at once', () => {
  it('client: an answer over the limit fails its request with a LocalError naming maxFrameBytes; the next call is answered', async () => {
    const { peer } = await echoPeer(1_000);
    const failure = await peer.request('echo', { text: 'x'.repeat(5_000) }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(LocalError);
    expect((failure as Error).message).toContain('maxFrameBytes of StdioClientTransport');
    expect((failure as Error).message).toContain('1000-byte');
    expect(await peer.request('echo', { text: 'small' })).toEqual({ echoed: { text: 'small' } });
  });

  it('client: only the request whose answer was dropped fails; one in flight beside it is answered', async () => {
    const { peer } = await echoPeer(1_000);
    const small = peer.request('echo', { n: 1 });
    const big = peer.request('echo', { text: 'y'.repeat(5_000) }).catch((e: unknown) => e);
    expect(await small).toEqual({ echoed: { n: 1 } });
    expect(((await big) as Error).message).toContain('maxFrameBytes');
  });

  it('server: a request over the limit is answered -32600 with its own id, so the caller fails at once', async () => {
    const { peer } = await echoPeer(undefined, 200);
    const failure = await peer.request('echo', { text: 'z'.repeat(1_000) }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(McpError);
    expect(failure).toMatchObject({ code: -32600 });
    expect((failure as Error).message).toContain('maxFrameBytes of StdioServerTransport');
    expect(await peer.request('echo', { ok: true })).toEqual({ echoed: { ok: true } });
  });

  it('mcpkit tools --stdio: an answer over 4 MiB ends the command with a message naming maxFrameBytes, not a timeout', async () => {
    const r = await runCli(['tools', '--stdio', `${NODE} ${ROOT}test/fixtures/stdio-huge-answer.mjs`]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('maxFrameBytes');
    expect(r.stderr).not.toContain('timeout');
  });
});
