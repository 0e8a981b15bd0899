/**
 * `mcpkit login` against a hostile server on 127.0.0.1, as a real process: an answer that drips is
 * given up at `--timeout`. And the network policy the CLI derives from the server's address: a
 * loopback MCP server may send the command to a loopback authorization server but not to a
 * link-local or private address (checked without sending anything off this machine).
 */
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { assertSafeUrl } from '../src/auth/network-guard.ts';
import { networkPolicyFor } from '../src/cli/auth/cli-auth.ts';
import { serveHttp } from '../src/node/http.ts';
import { cleanup, closeAll } from './auth-fixtures.ts';
import { MAIN, NODE, ROOT } from './fixtures/cli-process.ts';

afterEach(closeAll);

/** Runs `mcpkit login --no-browser <args>` with stdin closed and its own token folder. */
async function login(args: string[]): Promise<{ code: number | null; stderr: string; ms: number }> {
  const configDir = await mkdtemp(join(tmpdir(), 'mcpkit-hostile-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NO_COLOR: '1',
    MCPKIT_NO_BROWSER: '1',
    MCPKIT_CONFIG_DIR: configDir,
  };
  delete env.FORCE_COLOR;
  const started = Date.now();
  const child = spawn(NODE, [MAIN, 'login', '--no-browser', ...args], { cwd: ROOT, env, stdio: 'pipe' });
  child.stdin.end();
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (t: string) => {
    stderr += t;
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stderr, ms: Date.now() - started };
}

/** A loopback MCP server that answers 401 and serves `prm` (a Response maker) as its resource metadata. */
async function protectedServer(prm: (origin: string) => Response) {
  let origin = '';
  const http = await serveHttp(
    async (r) => {
      const path = new URL(r.url).pathname;
      if (path === '/.well-known/oauth-protected-resource/mcp') return prm(origin);
      return new Response(null, { status: 401, headers: { 'www-authenticate': 'Bearer' } });
    },
    { port: 0 },
  );
  origin = `http://127.0.0.1:${http.port}`;
  cleanup.push(() => http.close());
  return `${origin}/mcp`;
}

describe('mcpkit login against hostile servers', () => {
  it('gives up on metadata that drips, at --timeout, with a message that says so', async () => {
    let timer: ReturnType<typeof setInterval> | undefined;
    cleanup.push(async () => clearInterval(timer));
    const url = await protectedServer(() => {
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          timer = setInterval(() => controller.enqueue(new Uint8Array([32])), 100);
        },
        cancel: () => clearInterval(timer),
      });
      return new Response(body, { headers: { 'content-type': 'application/json' } });
    });
    const result = await login(['--timeout', '1500', url]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/oauth-protected-resource\/mcp did not answer in full within 1500 ms/);
    expect(result.ms).toBeLessThan(15_000);
  });
});

describe('the network policy the CLI derives from the server address', () => {
  const verdict = async (policyFor: string, target: string) =>
    assertSafeUrl(new URL(target), 'x', await networkPolicyFor(new URL(policyFor))).then(
      () => 'allowed',
      (e: Error & { code?: string }) => e.code,
    );

  it('loopback server: loopback authorization servers only', async () => {
    const server = 'http://127.0.0.1:3000/mcp';
    expect(await verdict(server, 'http://localhost:9000/')).toBe('allowed');
    expect(await verdict(server, 'http://[::1]:9000/')).toBe('allowed');
    for (const target of [
      'https://169.254.169.254/',
      'https://10.0.0.1/',
      'https://192.168.1.1/',
      'https://[fd00::1]/',
    ]) {
      expect(await verdict(server, target), target).toBe('private_address');
    }
  });

  it('private-network server: private addresses too, but never link-local', async () => {
    const server = 'http://10.0.0.5:3000/mcp';
    expect(await verdict(server, 'https://10.0.0.6/')).toBe('allowed');
    expect(await verdict(server, 'https://169.254.169.254/')).toBe('private_address');
    expect(await verdict(server, 'https://[fe80::1]/')).toBe('private_address');
  });

  it('public server: neither', async () => {
    const server = 'https://93.184.216.34/mcp';
    expect(await verdict(server, 'http://127.0.0.1:9000/')).toBe('private_address');
    expect(await verdict(server, 'https://10.0.0.6/')).toBe('private_address');
    expect(await verdict(server, 'https://8.8.8.8/')).toBe('allowed');
  });
});
