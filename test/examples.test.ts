/**
 * Every code snippet of the README is a file in examples/, and every example runs: built into dist
 * first (`npm run build`, the bundle the package ships), so that `mcpkit` resolves as an installed
 * package does (through package.json's exports), then each run as its own process against a real
 * server: stdio, a socket, or a fetch handler.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpClient } from '../src/client/index.ts';
import { StreamableHttpClientTransport } from '../src/transport/index.ts';
import { startWorkerd } from './runtimes/workerd.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
// Children find this Node first on PATH (the README's `node examples/…` runs TypeScript with it).
const ENV = { ...process.env, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}` };
const run = promisify(execFile);

function node(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, args, { cwd: ROOT, env: ENV, timeout: 60_000 });
}

/** The ```ts blocks of the README, each as written. */
function readmeBlocks(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  return [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string);
}

beforeAll(async () => {
  await run(process.execPath, [join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, timeout: 240_000 });
}, 300_000);

describe('the README', () => {
  it('shows only code that lives in examples/, each file as it is', () => {
    const blocks = readmeBlocks();
    expect(blocks.length).toBeGreaterThanOrEqual(6);
    for (const block of blocks) {
      const file = /^\/\/ (examples\/[\w-]+\.ts)/.exec(block)?.[1];
      expect(file, `a README block that names no example:\n${block}`).toBeDefined();
      expect(block, file).toBe(readFileSync(join(ROOT, file as string), 'utf8'));
    }
  });

  it('shows every example', () => {
    const shown = readmeBlocks().map((b) => /^\/\/ (examples\/[\w-]+\.ts)/.exec(b)?.[1]);
    const files = readdirSync(join(ROOT, 'examples')).map((f) => `examples/${f}`);
    expect(shown.sort()).toEqual(files.sort());
  });
});

describe('the examples, run', () => {
  it('weather-client starts weather-server over stdio and gets structured output', async () => {
    const { stdout } = await node('examples/weather-client.ts');
    expect(stdout).toBe('modern 2026-07-28 weather\nforecast\n{ tempC: 21 }\n');
  });

  describe('http-server and http-client over a socket', () => {
    let server: ChildProcess;
    let url = '';

    beforeAll(async () => {
      server = spawn(process.execPath, ['examples/http-server.ts'], {
        cwd: ROOT,
        env: { ...ENV, PORT: '0' },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      url = await new Promise<string>((resolve, reject) => {
        let out = '';
        server.stdout?.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const found = /listening on (http:\/\/\S+\/mcp)/.exec(out);
          if (found) resolve(found[1] as string);
        });
        server.once('exit', (code) => reject(new Error(`examples/http-server.ts exited (${code}): ${out}`)));
      });
    });

    afterAll(async () => {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    });

    it('answers the client', async () => {
      const { stdout } = await run(process.execPath, ['examples/http-client.ts'], {
        cwd: ROOT,
        env: { ...ENV, MCP_URL: url },
        timeout: 60_000,
      });
      expect(stdout).toBe("[ { type: 'text', text: 'Hello!' } ]\n");
    });
  });

  it('fetch-handler serves a client through its fetch function alone', async () => {
    const { stdout } = await node('test/fixtures/run-fetch-handler.ts');
    expect(JSON.parse(stdout)).toEqual({
      era: 'modern',
      content: [{ type: 'text', text: 'Hello!' }],
    });
  });

  it('tool-returns: a string, a CallToolResult, an error result, structured content', async () => {
    const { stdout } = await node('test/fixtures/run-tool-returns.ts');
    expect(JSON.parse(stdout)).toEqual({
      text: { content: [{ type: 'text', text: 'plain text' }] },
      blocks: {
        content: [
          { type: 'text', text: 'a chart:' },
          { type: 'image', data: 'iVBORw0KGgo=', mimeType: 'image/png' },
        ],
      },
      fails: { content: [{ type: 'text', text: 'no such city' }], isError: true },
      structured: { content: [{ type: 'text', text: '{"tempC":21}' }], structuredContent: { tempC: 21 } },
    });
  });
});

describe('the built package bundled for Workers (the workerd condition, as wrangler bundles it)', () => {
  it('checks a plain JSON Schema on workerd with @cfworker/json-schema, which came with the bundle', async () => {
    const worker = await startWorkerd('test/fixtures/worker-from-package.ts', true);
    const client = new McpClient({ name: 'examples-test', version: '1.0.0' });
    try {
      await client.connect(new StreamableHttpClientTransport(worker.url));
      const good = await client.callTool('double', { n: 21 });
      expect(good.content).toEqual([{ type: 'text', text: '42' }]);
      const bad = await client.callTool('double', { n: 'twenty' });
      expect(bad.isError).toBe(true);
      expect(bad.content).toEqual([
        { type: 'text', text: "Invalid arguments for tool 'double': n: expected integer, got string" },
      ]);
    } finally {
      await client.close();
      await worker.stop();
    }
  });
});
