/**
 * The authorization leg: starts the development authorization server as `npm run auth-server` does
 * (with the protected reference server behind it), registers a public client for the suite's
 * callback, runs `conformance authorization` against the issuer, and plays the user agent: it
 * fetches the printed authorization URL without following the redirect (the server approves at
 * once) and delivers the redirect to the suite's callback listener.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** How the runner starts the conformance CLI: its arguments, a stdout watcher, and an abort signal. */
export type CliRunner = (
  args: string[],
  options: { onStdout?: (text: string) => void; signal?: AbortSignal },
) => Promise<{ stdout: string; stderr: string }>;

/** What the authorization leg hands back to the runner. */
export interface AuthorizationLegRun {
  stdout: string;
  stderr: string;
  /** Set when the leg's own driving failed (server start, registration, the redirect). */
  error?: string;
}

/** A port nothing listens on right now, on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

interface RunningAs {
  issuer: string;
  resource: string;
  child: ChildProcess;
}

/** Spawns `src/node/auth-server-main.ts` with PORT and MCP_PORT; resolves once both are listening. */
function startAuthServerProcess(root: string, env: NodeJS.ProcessEnv): Promise<RunningAs> {
  return Promise.all([freePort(), freePort()]).then(
    ([port, mcpPort]) =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [join(root, 'src/node/auth-server-main.ts')], {
          cwd: root,
          env: { ...env, PORT: String(port), MCP_PORT: String(mcpPort) },
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        let seen = '';
        child.stdout?.on('data', (chunk: Buffer) => {
          seen += chunk.toString();
          const issuer = /issuer:\s+(\S+)/.exec(seen)?.[1];
          const resource = /Reference MCP server \(protected\): (\S+)/.exec(seen)?.[1];
          if (issuer && resource) resolve({ issuer, resource, child });
        });
        child.once('exit', (code) =>
          reject(new Error(`The authorization server exited early (code ${code}).`)),
        );
      }),
  );
}

/** Registers a public client for `redirectUri` by Dynamic Client Registration; resolves its id. */
async function registerClient(issuer: string, redirectUri: string): Promise<string> {
  const metaResponse = await fetch(`${issuer}/.well-known/oauth-authorization-server`);
  const metadata = (await metaResponse.json()) as { registration_endpoint?: string };
  if (!metadata.registration_endpoint) throw new Error('The metadata names no registration_endpoint.');
  const response = await fetch(metadata.registration_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_name: 'conformance authorization leg',
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'none',
    }),
  });
  const body = (await response.json()) as { client_id?: string };
  if (response.status !== 201 || typeof body.client_id !== 'string') {
    throw new Error(`Registration failed: HTTP ${response.status} ${JSON.stringify(body)}`);
  }
  return body.client_id;
}

/** Fetches the authorization URL without following the redirect, then delivers it to the callback. */
async function actAsUserAgent(authorizationUrl: string): Promise<void> {
  const approval = await fetch(authorizationUrl, { redirect: 'manual' });
  const location = approval.headers.get('location');
  await approval.body?.cancel();
  if (approval.status !== 302 || !location) {
    throw new Error(`The authorization endpoint answered ${approval.status} without a redirect.`);
  }
  const callback = await fetch(location);
  await callback.body?.cancel();
  if (callback.status !== 200) throw new Error(`The suite's callback answered ${callback.status}.`);
}

/** Watches the CLI's output for the authorization URL and its callback listener, then approves. */
function userAgentFor(issuer: string, fail: (error: Error) => void): (text: string) => void {
  let seen = '';
  let started = false;
  return (text) => {
    seen += text;
    if (started) return;
    const url = seen.split('\n').find((line) => line.startsWith(`${issuer}/authorize?`));
    if (url === undefined && seen.includes('Waiting up to')) {
      started = true;
      fail(new Error(`the suite printed no authorization URL under ${issuer}/authorize`));
      return;
    }
    if (url === undefined || !/Callback server started: /.test(seen)) return;
    started = true;
    actAsUserAgent(url.trim()).catch(fail);
  };
}

/** Runs the authorization leg; `dir` is the `-o` directory. */
export async function runAuthorizationLeg(
  root: string,
  env: NodeJS.ProcessEnv,
  dir: string,
  run: CliRunner,
): Promise<AuthorizationLegRun> {
  let as: RunningAs | undefined;
  const abort = new AbortController();
  let error: string | undefined;
  let stage = 'starting the authorization server';
  try {
    as = await startAuthServerProcess(root, env);
    const callbackPort = await freePort();
    stage = `registering a client at ${as.issuer}`;
    const clientId = await registerClient(as.issuer, `http://127.0.0.1:${callbackPort}/callback`);
    stage = 'running the suite';
    const fail = (e: Error) => {
      error = `the user agent step failed: ${e.message}`;
      abort.abort();
    };
    const args = [
      'authorization',
      '--url',
      as.issuer,
      '--client-id',
      clientId,
      '--resource',
      as.resource,
      '-p',
      String(callbackPort),
      '-o',
      dir,
    ];
    const result = await run(args, { onStdout: userAgentFor(as.issuer, fail), signal: abort.signal });
    return error === undefined ? result : { ...result, error };
  } catch (e) {
    return { stdout: '', stderr: '', error: `${stage}: ${(e as Error).message}` };
  } finally {
    as?.child.kill('SIGTERM');
  }
}
