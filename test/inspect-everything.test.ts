/**
 * `mcpkit inspect` with no target, in Chromium: the official `@modelcontextprotocol/server-everything`
 * chosen in the page as a stdio command line, its tools called through generated forms, a long
 * call cancelled, elicitation and sampling answered, roots edited, and the message log.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVERYTHING } from './fixtures/cli-process.ts';
import { launchChromium, type RunningInspector, startInspectorCli } from './fixtures/inspector.ts';

let inspector: RunningInspector;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  [inspector, browser] = await Promise.all([startInspectorCli([]), launchChromium()]);
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
});
afterAll(async () => {
  await browser?.close();
  expect(await inspector?.stop()).toBe(0);
});

async function callTool(name: string, fill: Record<string, string> = {}): Promise<void> {
  await page.click('[data-tab="tools"]');
  await page.click(`li[data-name="${name}"]`);
  for (const [field, value] of Object.entries(fill)) await page.fill(`.call-form [name="${field}"]`, value);
  await page.click('.call-form button.run');
}

describe('mcpkit inspect, choosing server-everything over stdio in the page', () => {
  it('says to connect first, then connects to the command typed in the page', async () => {
    await page.goto(inspector.url);
    await page.waitForSelector('.panel p');
    expect(await page.textContent('#status')).toBe('not connected');
    expect(await page.textContent('.panel')).toContain('Connect to a server');
    await page.selectOption('#target-kind', 'stdio');
    await page.fill('#target', EVERYTHING);
    await page.click('#connect');
    await page.waitForSelector('#revision');
    expect(await page.textContent('#server-name')).toMatch(/^mcp-servers\/everything /);
    expect(await page.textContent('#revision')).toBe('2025-11-25 (legacy era)');
    expect(await page.textContent('#server')).toContain(`stdio: ${EVERYTHING}`);
  });

  it('lists the tools and calls one through its form', async () => {
    await page.waitForSelector('li[data-name="echo"]');
    await callTool('echo', { message: 'hello from the page' });
    await page.waitForSelector('.output .result');
    expect(await page.textContent('.output .block.text')).toBe('Echo: hello from the page');
  });

  it('shows progress of a long call, cancels it, and the log shows notifications/cancelled', async () => {
    await callTool('trigger-long-running-operation', { duration: '60', steps: '60' });
    await page.waitForFunction(() => {
      const bar = document.querySelector('.output progress') as HTMLProgressElement | null;
      return bar !== null && bar.value >= 1 && bar.max === 60;
    });
    await page.click('.output button.cancel');
    await page.waitForSelector('.output .result.failed');
    expect(await page.textContent('.output .result.failed')).toContain('Cancelled in the inspector');
    const cancelled = page.locator('#message-log .msg.out .what', { hasText: 'notifications/cancelled' });
    expect(await cancelled.count()).toBe(1);
  });

  it('answers an elicitation form with enums, numbers and booleans', async () => {
    await callTool('trigger-elicitation-request');
    const ask = page.locator('.ask');
    await ask.waitFor();
    expect(await ask.locator('[name="integer"]').inputValue()).toBe('42');
    await ask.locator('[name="name"]').fill('Ada Lovelace');
    await ask.locator('[name="check"]').check();
    await ask.locator('button.accept').click();
    await page.waitForSelector('.output .result');
    const text = await page.textContent('.output .content');
    expect(text).toContain('- Name: Ada Lovelace');
    expect(text).toContain('- Agreed to terms: true');
    expect(text).toContain('- Favorite Integer: 42');
  });

  it('answers a sampling request with a reply written in the page', async () => {
    await callTool('trigger-sampling-request', { prompt: 'Say hi' });
    const ask = page.locator('.ask');
    await ask.waitFor();
    expect(await ask.textContent()).toContain('Say hi');
    await ask.locator('[name="reply"]').fill('hi there');
    await ask.locator('button.accept').click();
    await page.waitForSelector('.output .result');
    expect(await page.textContent('.output .content')).toContain('"text": "hi there"');
  });

  it('edits the roots, and the server sees the new list', async () => {
    await page.click('[data-tab="roots"]');
    await page.fill('.roots [name="roots"]', 'file:///tmp/project The project');
    await page.click('.roots button.run');
    await page.waitForFunction(() =>
      document.querySelector('.roots .dim:last-child')?.textContent?.startsWith('Saved 1'),
    );
    const changed = page.locator('#message-log .msg.out .what', {
      hasText: 'notifications/roots/list_changed',
    });
    await changed.first().waitFor();
    await callTool('get-roots-list');
    await page.waitForSelector('.output .result');
    expect(await page.textContent('.output .content')).toContain(
      '1. The project\n   URI: file:///tmp/project',
    );
  });
});
