/**
 * `mcpkit inspect` in Chromium: a tab's list that arrives late (the one asked on connecting) does not
 * replace the panel the user opened since, with a tool chosen in it.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODE, ROOT } from './fixtures/cli-process.ts';
import { launchChromium, type RunningInspector, startInspectorCli } from './fixtures/inspector.ts';

let inspector: RunningInspector;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  [inspector, browser] = await Promise.all([
    startInspectorCli(['--stdio', `${NODE} ${ROOT}test/fixtures/slow-first-list-server.ts`]),
    launchChromium(),
  ]);
  page = await browser.newPage();
});
afterAll(async () => {
  await browser?.close();
  expect(await inspector?.stop()).toBe(0);
});

describe('mcpkit inspect, a late tools/list', () => {
  it('keeps the tool chosen after it was asked', async () => {
    await page.goto(inspector.url);
    await page.click('li[data-name="slow_next_list"]');
    await page.click('.call-form button.run');
    await page.waitForSelector('.output .result');
    // The next list is late: open the tab (its list on the way), open it again, choose a tool.
    await page.click('[data-tab="tools"]');
    expect(await page.textContent('.panel')).toContain('loading…');
    await page.click('[data-tab="tools"]');
    await page.click('li[data-name="add"]');
    await page.waitForSelector('.detail .tool');
    // Past the late answer: the chosen tool is still shown, and its form still works.
    await page.waitForTimeout(2000);
    expect(await page.textContent('li.selected', { timeout: 1000 })).toContain('add');
    await page.fill('.call-form [name="a"]', '2');
    await page.fill('.call-form [name="b"]', '40');
    await page.click('.call-form button.run', { timeout: 5000 });
    await page.waitForSelector('.output .result', { timeout: 5000 });
    expect(await page.textContent('.output .structured pre')).toBe(JSON.stringify({ sum: 42 }, null, 2));
  });
});
