/**
 * `mcpkit inspect` in Chromium against the reference server over HTTP (`mcpkit serve --port 0`),
 * in both eras: the server shown, a form filled and submitted, the result by content type, a long
 * call's progress and its cancel, an elicitation answered in the page, the message log.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, type Running, startCli } from './fixtures/cli-process.ts';
import { launchChromium, type RunningInspector, startInspectorCli } from './fixtures/inspector.ts';

let served: Running;
let inspector: RunningInspector;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  served = await startCli(['serve', '--port', '0']);
  [inspector, browser] = await Promise.all([startInspectorCli([served.url]), launchChromium()]);
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
});
afterAll(async () => {
  await browser?.close();
  expect(await inspector?.stop()).toBe(0);
  expect(await served?.stop()).toBe(0);
});

async function openTool(name: string): Promise<void> {
  await page.click('[data-tab="tools"]');
  await page.click(`li[data-name="${name}"]`);
  await page.waitForSelector(`.detail .tool`);
}

describe('mcpkit inspect against the reference server over HTTP', () => {
  it('loads in well under a second and shows the server in the modern era', async () => {
    await page.goto(inspector.url);
    await page.waitForSelector('#revision');
    const loaded = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      return nav.loadEventEnd - nav.startTime;
    });
    expect(loaded).toBeGreaterThan(0);
    expect(loaded).toBeLessThan(1000);
    expect(await page.textContent('#server-name')).toBe('mcpkit-reference-server 0.1.0');
    expect(await page.textContent('#revision')).toBe('2026-07-28 (modern era)');
    expect(await page.textContent('.caps')).toContain('completions');
    expect(await page.inputValue('#target')).toBe(served.url);
  });

  it('lists the tools, fills a form from the input schema and shows the checked structured result', async () => {
    await openTool('add');
    expect(await page.textContent('.detail')).toContain('Add two numbers');
    await page.click('.call-form button.run');
    expect(await page.textContent('.output .error-text')).toBe("'a' is required.");
    await page.fill('.call-form [name="a"]', '2');
    await page.fill('.call-form [name="b"]', '40');
    await page.click('.call-form button.run');
    await page.waitForSelector('.output .result .schema-check');
    expect(await page.textContent('.output .structured pre')).toBe(JSON.stringify({ sum: 42 }, null, 2));
    expect(await page.textContent('.output .badges')).toContain('success');
  });

  it('renders images, audio and embedded resources by content type', async () => {
    await openTool('test_multiple_content_types');
    await page.click('.call-form button.run');
    await page.waitForSelector('.output .result');
    expect(await page.getAttribute('.output .block.image img', 'src')).toMatch(/^data:image\/png;base64,/);
    expect(await page.textContent('.output .block.resource')).toContain('"value":123');
    await openTool('test_audio_content');
    await page.click('.call-form button.run');
    expect(await page.getAttribute('.output .block.audio audio', 'src')).toMatch(/^data:audio\/wav;base64,/);
    await openTool('test_error_handling');
    await page.click('.call-form button.run');
    expect(await page.textContent('.output .badge.error')).toContain('isError');
  });

  it('shows the progress of a long call and cancels it', async () => {
    await openTool('test_long_operation');
    await page.fill('.call-form [name="seconds"]', '30');
    await page.click('.call-form button.run');
    await page.waitForFunction(() => {
      const bar = document.querySelector('.output progress') as HTMLProgressElement | null;
      return bar !== null && bar.value >= 2 && bar.max === 300;
    });
    expect(await page.textContent('.output .progress-text')).toMatch(/^\d+ \/ 300 — step \d+ of 300$/);
    await page.click('.output button.cancel');
    await page.waitForSelector('.output .result.failed');
    expect(await page.textContent('.output .result.failed')).toContain('Cancelled in the inspector');
  });

  it('answers a form elicitation in the page (input_required, 2026-07-28)', async () => {
    await openTool('test_elicitation');
    await page.fill('.call-form [name="message"]', 'Who are you?');
    await page.click('.call-form button.run');
    const ask = page.locator('.ask');
    await ask.waitFor();
    expect(await ask.textContent()).toContain('Who are you?');
    await ask.locator('[name="username"]').fill('ada');
    await ask.locator('[name="email"]').fill('ada@example.com');
    await ask.locator('button.accept').click();
    await page.waitForSelector('.output .result');
    expect(await page.textContent('.output .block.text')).toBe(
      'User response: action=accept, content={"username":"ada","email":"ada@example.com"}',
    );
    expect(await page.locator('.ask').count()).toBe(0);
  });

  it('declines and cancels a form elicitation from its buttons', async () => {
    for (const [button, action] of [
      ['button.decline', 'decline'],
      ['.buttons button:not(.accept):not(.decline)', 'cancel'],
    ] as const) {
      await openTool('test_elicitation');
      await page.fill('.call-form [name="message"]', `Asked to ${action}`);
      await page.click('.call-form button.run');
      const ask = page.locator('.ask');
      await ask.waitFor();
      await ask.locator(button).click();
      await page.waitForSelector('.output .result');
      expect(await page.textContent('.output .block.text')).toContain(`action=${action}`);
      expect(await page.locator('.ask').count()).toBe(0);
    }
  });

  it('logs every message both ways with timing, and filters it', async () => {
    const log = page.locator('#message-log');
    expect(await log.locator('.msg.out .what', { hasText: 'server/discover' }).count()).toBeGreaterThan(0);
    const call = log.locator('.msg.in .what', { hasText: '(tools/call)' }).first();
    expect(await call.textContent()).toMatch(/^result #\d+ \(tools\/call\)$/);
    expect(await log.locator('.msg.in .took').first().textContent()).toMatch(/^\d+ ms$/);
    await page.fill('#log-filter', 'test_long_operation');
    const shown = await log.locator('.msg:not([hidden])').count();
    expect(shown).toBeGreaterThan(0);
    expect(await page.textContent('#log-count')).toMatch(new RegExp(`^${shown} of \\d+$`));
    await page.selectOption('#log-direction', 'in');
    expect(await log.locator('.msg.out:not([hidden])').count()).toBe(0);
    await page.fill('#log-filter', '');
    await page.selectOption('#log-direction', '');
    // docs/inspector.png is this screenshot: MCPKIT_UPDATE_SCREENSHOT=1 npx vitest run test/inspect-reference.test.ts
    const shot = await page.screenshot(
      process.env.MCPKIT_UPDATE_SCREENSHOT ? { path: `${ROOT}docs/inspector.png` } : {},
    );
    expect(shot.byteLength).toBeGreaterThan(10_000);
  });

  it('sets the log level (in each request, 2026-07-28) and shows log messages in the log pane', async () => {
    await page.selectOption('#log-level', 'debug');
    await openTool('test_tool_with_logging');
    await page.click('.call-form button.run');
    await page.waitForSelector('.output .result');
    const sent = await page.locator('#message-log .msg.out', { hasText: 'test_tool_with_logging' }).last();
    expect(await sent.getAttribute('data-text')).toContain('"io.modelcontextprotocol/loglevel":"debug"');
    expect(await page.getAttribute('[data-tab="logs"]', 'class')).toBe('unread');
    await page.click('[data-tab="logs"]');
    const lines = await page.locator('#logs .log-line.info').allTextContents();
    expect(lines.slice(-3)).toEqual([
      '[info] Tool execution started',
      '[info] Tool processing data',
      '[info] Tool execution completed',
    ]);
  });

  it('reconnects pinned to a 2025 revision, and answers elicitation/create sent by the server', async () => {
    await page.selectOption('#era', '2025-06-18');
    await page.click('#connect');
    await page.waitForFunction(() =>
      document.querySelector('#revision')?.textContent?.includes('2025-06-18'),
    );
    expect(await page.textContent('#revision')).toBe('2025-06-18 (legacy era)');
    await openTool('test_elicitation');
    await page.fill('.call-form [name="message"]', 'Again?');
    await page.click('.call-form button.run');
    const ask = page.locator('.ask');
    await ask.waitFor();
    await ask.locator('button.decline').click();
    await page.waitForSelector('.output .result');
    expect(await page.textContent('.output .block.text')).toBe('User response: action=decline, content={}');
    const log = page.locator('#message-log');
    expect(await log.locator('.msg.in .what', { hasText: 'elicitation/create' }).count()).toBe(1);
    expect(await log.locator('.msg.out .what', { hasText: '(elicitation/create)' }).count()).toBe(1);
    expect(await log.locator('.msg.out .what', { hasText: /^initialize #/ }).count()).toBe(1);
  });

  it('reads a resource template filled with completion', async () => {
    await page.click('[data-tab="resources"]');
    await page.click('li[data-name="test://template/{id}/data"]');
    const input = page.locator('.detail [name="id"]');
    await input.fill('1');
    await page.waitForFunction(
      () => (document.querySelector('.detail [name="id"]') as HTMLElement).dataset.completions === '1\n123',
    );
    await input.fill('123');
    await page.click('.detail button.run');
    await page.waitForSelector('.output .block.resource');
    expect(await page.textContent('.output .block.resource code')).toBe('test://template/123/data');
  });
});
