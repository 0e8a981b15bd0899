/**
 * `mcpkit inspect`'s gate, against the real process: the session token on every path and on the
 * event stream, the Host and Origin checks, JSON-only changes, and a page of another origin in a
 * real browser that knows the token and still reaches nothing.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODE } from './fixtures/cli-process.ts';
import { launchChromium, type RunningInspector, startInspectorCli } from './fixtures/inspector.ts';

let inspector: RunningInspector;
let browser: Browser;

beforeAll(async () => {
  [inspector, browser] = await Promise.all([startInspectorCli([]), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  expect(await inspector.stop()).toBe(0);
});

/** A raw HTTP exchange with exactly the headers given (fetch would not send a foreign Host). */
function raw(
  path: string,
  headers: Record<string, string>,
  method = 'GET',
  body?: string,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port: inspector.port, path, method, headers, setHost: false },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (t: string) => {
          text += t;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const host = () => ({ host: `127.0.0.1:${inspector.port}` });
const origin = () => `http://127.0.0.1:${inspector.port}`;

describe('mcpkit inspect: the gate', () => {
  it('prints a loopback address with a 128-bit token, and serves the page only under it', async () => {
    expect(inspector.stderr()).toMatch(/mcpkit inspector on http:\/\/127\.0\.0\.1:\d+\/[0-9a-f]{32}\//);
    const page = await raw(`/${inspector.token}/`, host());
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>mcpkit inspector</title>');
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['x-frame-options']).toBe('DENY');
    for (const path of [
      '/',
      '/index.html',
      '/app.js',
      '/api/state',
      `/${'0'.repeat(32)}/`,
      `/${inspector.token}x/`,
    ]) {
      const r = await raw(path, host());
      expect(r.status, path).toBe(403);
      expect(JSON.parse(r.body).error.message).toContain('session token');
    }
  });

  it('refuses the event stream and the API without the token', async () => {
    expect((await raw('/api/events', host())).status).toBe(403);
    const other = await raw(`/${'f'.repeat(32)}/api/events`, host());
    expect(other.status).toBe(403);
    const ok = await raw(`/${inspector.token}/api/state`, host());
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body).connected).toBe(false);
  });

  it('refuses a foreign Host (DNS rebinding) even with the token', async () => {
    const r = await raw(`/${inspector.token}/api/state`, { host: `evil.example:${inspector.port}` });
    expect(r.status).toBe(421);
    expect(JSON.parse(r.body).error.message).toContain(`only at http://127.0.0.1:${inspector.port}/`);
  });

  it('refuses another Origin, a POST without Origin, and a body that is not JSON', async () => {
    const foreign = await raw(`/${inspector.token}/api/state`, { ...host(), origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.body).error.message).toContain("origin 'http://evil.example'");
    const spec = JSON.stringify({ stdio: `${NODE} -e "setTimeout(()=>{},1e5)"` });
    const json = { 'content-type': 'application/json' };
    const noOrigin = await raw(`/${inspector.token}/api/connect`, { ...host(), ...json }, 'POST', spec);
    expect(noOrigin.status).toBe(403);
    const crossSite = await raw(
      `/${inspector.token}/api/connect`,
      { ...host(), ...json, origin: origin(), 'sec-fetch-site': 'cross-site' },
      'POST',
      spec,
    );
    expect(crossSite.status).toBe(403);
    const form = await raw(
      `/${inspector.token}/api/connect`,
      { ...host(), origin: origin(), 'content-type': 'text/plain' },
      'POST',
      spec,
    );
    expect(form.status).toBe(415);
    const state = JSON.parse((await raw(`/${inspector.token}/api/state`, host())).body);
    expect(state).toMatchObject({ connected: false, connecting: false });
    expect(state.last).toBeUndefined();
  });

  it('says what is wrong with a bad request from the page itself', async () => {
    const headers = { ...host(), origin: origin(), 'content-type': 'application/json' };
    const notJson = await raw(`/${inspector.token}/api/connect`, headers, 'POST', '{oops');
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.body).error.message).toBe('The request body is not JSON.');
    const bad = await raw(
      `/${inspector.token}/api/connect`,
      headers,
      'POST',
      JSON.stringify({ url: 'ftp://x' }),
    );
    expect(JSON.parse(bad.body).error.message).toBe("Only http: and https: URLs are supported, not 'ftp:'.");
    const op = await raw(
      `/${inspector.token}/api/request`,
      headers,
      'POST',
      JSON.stringify({ op: 'tools/list' }),
    );
    expect(op.status).toBe(400);
    expect(JSON.parse(op.body).error.message).toBe('Not connected: connect to a server first.');
  });

  it('a page of another origin that knows the token reaches nothing, and starts no command', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpkit-inspect-'));
    const marker = join(dir, 'started');
    const command = `${NODE} -e "require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'x')"`;
    const base = `${origin()}/${inspector.token}/api`;
    const evil: Server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>elsewhere</title>');
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    const evilUrl = `http://localhost:${(evil.address() as AddressInfo).port}/`;
    const page = await browser.newPage();
    try {
      await page.goto(evilUrl);
      const outcome = await page.evaluate(
        async ({ base, command }) => {
          const tries: Record<string, string> = {};
          const attempt = async (name: string, run: () => Promise<Response>) => {
            try {
              const r = await run();
              tries[name] = `status ${r.status}`;
            } catch (e) {
              tries[name] = `failed: ${(e as Error).name}`;
            }
          };
          const body = JSON.stringify({ stdio: command });
          await attempt('cors', () =>
            fetch(`${base}/connect`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body,
            }),
          );
          await attempt('no-cors', () =>
            fetch(`${base}/connect`, {
              method: 'POST',
              mode: 'no-cors',
              headers: { 'content-type': 'text/plain' },
              body,
            }),
          );
          await attempt('state', () => fetch(`${base}/state`));
          tries.events = await new Promise<string>((resolve) => {
            const source = new EventSource(`${base}/events`);
            source.onopen = () => resolve('open');
            source.onerror = () => {
              source.close();
              resolve('error');
            };
          });
          return tries;
        },
        { base, command },
      );
      expect(outcome).toEqual({
        cors: 'failed: TypeError',
        'no-cors': 'failed: TypeError',
        state: 'failed: TypeError',
        events: 'error',
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(existsSync(marker)).toBe(false);
      const state = JSON.parse((await raw(`/${inspector.token}/api/state`, host())).body);
      expect(state.connected).toBe(false);
      expect(state.last?.stdio).toBeUndefined();
    } finally {
      await page.close();
      await new Promise((resolve) => evil.close(resolve));
    }
  });
});
