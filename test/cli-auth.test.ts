/**
 * The authorization parts of `mcpkit`, run as processes over real HTTP on 127.0.0.1: `login` against
 * the reference server behind the development authorization server (the "browser" being a fetch of
 * the URL the command prints: the server approves at once and redirects to the loopback redirect),
 * the 0600 token file, stored tokens used by later commands, `logout`, the error of a command that
 * cannot log in, `serve --auth`, and `bridge <url>` checked by the official SDK client over stdio.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type RunningAuthServer,
  type RunningProtectedServer,
  startAuthServer,
  startProtectedReferenceServer,
} from '../src/node/auth-server.ts';
import { MAIN, NODE, ROOT } from './fixtures/cli-process.ts';

const AUTHORIZE_URL = /http:\/\/localhost:\d+\/authorize\?\S+/;

/** The environment of every command: no colour, no browser, tokens in `configDir`. */
function envFor(configDir: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  delete env.FORCE_COLOR;
  return { ...env, NO_COLOR: '1', MCPKIT_NO_BROWSER: '1', MCPKIT_CONFIG_DIR: configDir };
}

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Starts `mcpkit <args>`; `onStderr` sees the stderr collected so far after each chunk. */
function start(args: string[], configDir: string, onStderr?: (all: string) => void) {
  const child = spawn(NODE, [MAIN, ...args], { cwd: ROOT, env: envFor(configDir), stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (t: string) => {
    stdout += t;
  });
  child.stderr.setEncoding('utf8').on('data', (t: string) => {
    stderr += t;
    onStderr?.(stderr);
  });
  child.stdin.end();
  const done = new Promise<Result>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { child, done };
}

/** Runs `mcpkit <args>` with stdin a closed pipe (not a terminal). */
function run(args: string[], configDir: string): Promise<Result> {
  return start(args, configDir).done;
}

/** What the browser does: opens the authorization URL, follows the redirect to the loopback listener. */
async function browse(authorizationUrl: string): Promise<string> {
  const approved = await fetch(authorizationUrl, { redirect: 'manual' });
  expect(approved.status).toBe(302);
  const back = new URL(approved.headers.get('location') ?? '');
  expect(back.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(back.searchParams.get('code')).toBeTruthy();
  const page = await fetch(back);
  expect(page.status).toBe(200);
  return page.text();
}

/** Waits for an authorization URL on a process's stderr, plays the browser, and returns the URL. */
function browseWhenAsked(): { onStderr: (all: string) => void; visited: Promise<string> } {
  let settle: (url: string) => void = () => {};
  let fail: (error: unknown) => void = () => {};
  const visited = new Promise<string>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });
  let seen = false;
  return {
    visited,
    onStderr: (all) => {
      const m = AUTHORIZE_URL.exec(all);
      if (!m || seen) return;
      seen = true;
      browse(m[0]).then(() => settle(m[0]), fail);
    },
  };
}

/** `mcpkit login --no-browser <url> [extra]`, with the browser step played by `browse`. */
async function login(url: string, configDir: string, extra: string[] = []): Promise<Result> {
  const browser = browseWhenAsked();
  const result = await start(['login', '--no-browser', ...extra, url], configDir, browser.onStderr).done;
  if (AUTHORIZE_URL.test(result.stderr)) await browser.visited;
  return result;
}

describe('mcpkit login against the reference server behind the development authorization server', () => {
  let as: RunningAuthServer;
  let mcp: RunningProtectedServer;
  let config: string;
  let url: string;

  beforeAll(async () => {
    as = await startAuthServer({ port: 0 });
    mcp = await startProtectedReferenceServer({ issuer: as.issuer, port: 0 });
    url = `http://localhost:${mcp.http.port}/mcp`;
    config = await mkdtemp(join(tmpdir(), 'mcpkit-cli-auth-'));
  });
  afterAll(async () => {
    await mcp?.close();
    await as?.close();
  });

  it('without a login, a command whose stdin is not a terminal fails and says to run mcpkit login', async () => {
    const r = await run(['tools', url], config);
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`mcpkit: ${url} needs authorization. Run: mcpkit login ${url}`);
    expect(r.stderr).not.toMatch(AUTHORIZE_URL);
  });

  it('logs in through the printed URL and keeps the tokens in a 0600 file', async () => {
    const r = await login(url, config);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`To authorize mcpkit with ${as.issuer}, open this URL in a browser:`);
    const printed = new URL(AUTHORIZE_URL.exec(r.stderr)?.[0] ?? '');
    expect(printed.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(printed.searchParams.get('resource')).toBe(mcp.resource);
    expect(printed.searchParams.get('code_challenge_method')).toBe('S256');
    expect(r.stdout).toBe(
      `Logged in to ${url} (authorization server ${as.issuer}, scope mcp:read offline_access).\n`,
    );
    const file = join(config, 'tokens.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(await readFile(file, 'utf8'));
    expect(saved.tokens[url]).toMatchObject({ issuer: as.issuer, resource: mcp.resource });
    expect(saved.clients[as.issuer].clientId).toMatch(/^dev-/);
    expect(r.stdout + r.stderr).not.toContain(saved.tokens[url].accessToken);
  });

  it('later commands use the stored tokens without logging in', async () => {
    const r = await run(['tools', url], config);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^test_simple_text\s/m);
    expect(r.stderr).not.toMatch(AUTHORIZE_URL);
    const info = await run(['info', url], config);
    expect(info.stdout).toContain('revision     2026-07-28 (modern era)');
    // The login's resource is the server's origin, so it serves HTTP+SSE at /sse as well.
    const sse = await run(['info', url.replace(/\/mcp$/, '/sse')], config);
    expect(sse.code).toBe(0);
    expect(sse.stdout).toMatch(/transport {4}http:\/\/localhost:\d+\/sse \(HTTP\+SSE\)/);
  });

  it('a call that needs a broader scope says how to get it; login --scope gets it', async () => {
    const refused = await run(['call', url, 'test_simple_text'], config);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain(
      `mcpkit: ${url} needs more permission for this request (scope mcp:read mcp:write) than the stored login grants. Run: mcpkit login ${url} --scope "mcp:read mcp:write"`,
    );
    const again = await login(url, config, ['--scope', 'mcp:read mcp:write']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('scope mcp:read mcp:write offline_access');
    const called = await run(['call', url, 'test_simple_text'], config);
    expect(called.code).toBe(0);
    expect(called.stdout).toBe('This is a simple text response for testing.\n');
  });

  it('bridge <url> gives a stdio client the protected server with the stored tokens', async () => {
    const client = new Client({ name: 'sdk', version: '1.0.0' });
    const transport = new StdioClientTransport({
      command: NODE,
      args: [MAIN, 'bridge', url],
      cwd: ROOT,
      env: envFor(config),
      stderr: 'pipe',
    });
    await client.connect(transport);
    expect(client.getServerVersion()?.name).toBe('mcpkit-reference-server');
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('test_simple_text');
    const result = await client.callTool({ name: 'test_simple_text', arguments: {} });
    expect(result.content).toEqual([{ type: 'text', text: 'This is a simple text response for testing.' }]);
    await client.close();
  });

  it('logout forgets the tokens: the same command then fails with the clear message', async () => {
    const out = await run(['logout', url], config);
    expect(out).toMatchObject({ code: 0, stdout: `Logged out of ${url}.\n` });
    const saved = JSON.parse(await readFile(join(config, 'tokens.json'), 'utf8'));
    expect(saved.tokens[url]).toBeUndefined();
    const r = await run(['tools', url], config);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`${url} needs authorization. Run: mcpkit login ${url}`);
    expect(await run(['logout', url], config)).toMatchObject({
      code: 0,
      stdout: `No login is stored for ${url}.\n`,
    });
  });

  it('bridge <url> runs the login flow when the server asks, and the client goes on', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mcpkit-cli-auth-bridge-'));
    const transport = new StdioClientTransport({
      command: NODE,
      args: [MAIN, 'bridge', '--no-browser', url],
      cwd: ROOT,
      env: envFor(dir),
      stderr: 'pipe',
    });
    const browser = browseWhenAsked();
    let stderr = '';
    transport.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      browser.onStderr(stderr);
    });
    const client = new Client({ name: 'sdk', version: '1.0.0' });
    await client.connect(transport);
    expect(await browser.visited).toMatch(AUTHORIZE_URL);
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('test_simple_text');
    await client.close();
    expect((await stat(join(dir, 'tokens.json'))).mode & 0o777).toBe(0o600);
    expect(await run(['tools', url], dir)).toMatchObject({ code: 0 });
  });

  it('with stdin a terminal, a command logs in by itself, stepping up for a tool call', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mcpkit-cli-auth-tty-'));
    // util-linux `script` gives the command a pseudo-terminal; what it prints comes back on stdout.
    const line = `'${NODE}' '${MAIN}' call ${url} test_simple_text`;
    const child = spawn('script', ['-fqec', line, '/dev/null'], {
      cwd: ROOT,
      env: envFor(dir),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const visits: Promise<string>[] = [];
    child.stdout.setEncoding('utf8').on('data', (t: string) => {
      output += t;
      const found = output.match(new RegExp(AUTHORIZE_URL.source, 'g')) ?? [];
      for (const u of found.slice(visits.length)) visits.push(browse(u));
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    await Promise.all(visits);
    expect(output).toContain('This is a simple text response for testing.');
    expect(code).toBe(0);
    expect(visits).toHaveLength(2);
    expect(output.match(/scope=[^&\s]+/g)).toEqual([
      'scope=mcp%3Aread+offline_access',
      'scope=mcp%3Aread+offline_access+mcp%3Awrite',
    ]);
  });

  it('logout without a URL removes every stored login', async () => {
    const r = await run(['logout'], config);
    expect(r).toMatchObject({
      code: 0,
      stdout: `Logged out of every server (removed ${join(config, 'tokens.json')}).\n`,
    });
    await expect(stat(join(config, 'tokens.json'))).rejects.toThrow(/ENOENT/);
  });
});

describe('mcpkit serve --auth', () => {
  let server: ChildProcess;
  let exited: Promise<Result>;
  let url: string;
  let issuer: string;
  let config: string;

  beforeAll(async () => {
    config = await mkdtemp(join(tmpdir(), 'mcpkit-cli-serve-auth-'));
    const listening = new Promise<string>((resolve) => {
      const s = start(['serve', '--port', '0', '--auth'], config, (all) => {
        if (/development authorization server on/.test(all)) resolve(all);
      });
      server = s.child;
      exited = s.done;
    });
    const printed = await Promise.race([
      listening,
      exited.then((r) => Promise.reject(new Error(`serve --auth exited early:\n${r.stderr}`))),
    ]);
    url = /reference server on (http:\/\/localhost:\d+\/mcp) /.exec(printed)?.[1] ?? '';
    issuer = /development authorization server on (http:\/\/localhost:\d+) /.exec(printed)?.[1] ?? '';
  });
  afterAll(async () => {
    server.kill('SIGTERM');
    expect((await exited).code).toBe(0);
  });

  it('prints both URLs and answers 401 with a WWW-Authenticate challenge', async () => {
    expect(url).toMatch(/^http:\/\/localhost:\d+\/mcp$/);
    expect(issuer).toMatch(/^http:\/\/localhost:\d+$/);
    expect(new URL(issuer).port).not.toBe(new URL(url).port);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
    });
    expect(response.status).toBe(401);
    const challenge = response.headers.get('www-authenticate') ?? '';
    expect(challenge).toMatch(/^Bearer /);
    const metadataUrl = /resource_metadata="([^"]+)"/.exec(challenge)?.[1] ?? '';
    const metadata = await (await fetch(metadataUrl)).json();
    expect(metadata.authorization_servers).toEqual([issuer]);
    expect(url.startsWith(metadata.resource.replace(/\/$/, ''))).toBe(true);
    const asMetadata = await (await fetch(`${issuer}/.well-known/oauth-authorization-server`)).json();
    expect(asMetadata.issuer).toBe(issuer);
  });

  it('works after mcpkit login', async () => {
    expect((await run(['info', url], config)).code).toBe(4);
    const r = await login(url, config);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Logged in to ${url} (authorization server ${issuer}`);
    const info = await run(['info', url], config);
    expect(info.code).toBe(0);
    expect(info.stdout).toMatch(/^mcpkit-reference-server /);
  });

  it('refuses --auth without --port', async () => {
    const r = await run(['serve', '--auth'], config);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--auth protects the HTTP server: give --port too');
  });
});
