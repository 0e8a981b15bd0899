/**
 * `mcpkit inspect` against `mcpkit serve --port 0 --auth`: the CLI's OAuth login (discovery,
 * registration, PKCE, a loopback redirect), with the authorization address shown in the page and
 * opened in Chromium; afterwards the page knows that it is logged in, never the token itself.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAIN, NODE, ROOT } from './fixtures/cli-process.ts';
import { launchChromium, type RunningInspector, startInspectorCli } from './fixtures/inspector.ts';

let served: { url: string; child: ChildProcess; exited: Promise<number | null> };
let inspector: RunningInspector;
let browser: Browser;
const configDir = mkdtempSync(join(tmpdir(), 'mcpkit-inspect-oauth-'));

/** Starts `mcpkit serve --port 0 --auth` and waits for the protected endpoint it prints. */
function serveProtected(): Promise<typeof served> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, [MAIN, 'serve', '--port', '0', '--auth'], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (t: string) => {
      stderr += t;
      const url = /http:\/\/localhost:\d+\/mcp/.exec(stderr)?.[0];
      if (url && stderr.includes('authorization server on')) resolve({ url, child, exited });
    });
    void exited.then((code) => reject(new Error(`serve --auth exited with ${code}:\n${stderr}`)));
  });
}

beforeAll(async () => {
  served = await serveProtected();
  [inspector, browser] = await Promise.all([
    startInspectorCli([], { MCPKIT_CONFIG_DIR: configDir }),
    launchChromium(),
  ]);
});
afterAll(async () => {
  await browser?.close();
  expect(await inspector?.stop()).toBe(0);
  served?.child.kill('SIGTERM');
  expect(await served?.exited).toBe(0);
});

describe('mcpkit inspect with OAuth', () => {
  it('logs in through the browser, and the page never receives the access token', async () => {
    const page = await browser.newPage();
    await page.goto(inspector.url);
    await page.waitForSelector('.panel p');
    await page.fill('#target', served.url);
    await page.click('#connect');
    const note = page.locator('#notes pre', { hasText: 'To authorize mcpkit' });
    await note.waitFor();
    const authorize = /http:\/\/localhost:\d+\/authorize\?\S+/.exec((await note.textContent()) ?? '')?.[0];
    expect(authorize).toBeDefined();
    const login = await browser.newPage();
    await login.goto(authorize as string);
    await login.close();
    await page.waitForSelector('#revision');
    const auth = page.locator('.auth');
    await auth.waitFor();
    const stored = JSON.parse(readFileSync(join(configDir, 'tokens.json'), 'utf8'));
    const tokens = Object.values(stored.tokens as Record<string, { accessToken: string }>);
    expect(tokens).toHaveLength(1);
    const accessToken = (tokens[0] as { accessToken: string }).accessToken;
    expect(accessToken.length).toBeGreaterThan(16);
    expect(await auth.textContent()).toMatch(
      new RegExp(`^OAuth: logged in \\(bearer token …${accessToken.slice(-4)}`),
    );
    const seen = await page.evaluate(async () => {
      const state = await (await fetch('api/state')).text();
      const auth = await (await fetch('api/auth')).text();
      return `${state}\n${auth}\n${document.documentElement.outerHTML}`;
    });
    expect(seen).toContain(accessToken.slice(-4));
    expect(seen).not.toContain(accessToken);
    await page.click('[data-tab="tools"]');
    await page.waitForSelector('li[data-name="add"]');
  });
});
