/**
 * The server `npm start` runs (src/node/serve-http.ts, as a process) shows everything mcpkit does: the
 * Tasks and Skills extensions are on it, as on the conformance suite's everything-server.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpClient } from '../src/client/index.ts';
import { SKILLS_EXTENSION, TASKS_EXTENSION } from '../src/extensions/index.ts';
import { StreamableHttpClientTransport } from '../src/transport/index.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
let child: ChildProcess;
let url = '';

beforeAll(async () => {
  child = spawn(process.execPath, ['src/node/serve-http.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', REDIS_URL: '', AUTH_ISSUER: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const found = /Streamable HTTP: (http:\/\/\S+\/mcp)/.exec(out);
      if (found) resolve(found[1] as string);
    });
    child.once('exit', (code) => reject(new Error(`npm start's server exited (code ${code}): ${out}`)));
  });
});

afterAll(async () => {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
});

describe("the server of 'npm start'", () => {
  it('declares the Tasks and Skills extensions and lists the task tools', async () => {
    const client = new McpClient({ name: 'newcomer', version: '1.0.0' });
    await client.connect(new StreamableHttpClientTransport(new URL(url)));
    try {
      expect(client.era).toBe('modern');
      const extensions = Object.keys(client.serverCapabilities.extensions ?? {});
      expect(extensions).toEqual(expect.arrayContaining([TASKS_EXTENSION, SKILLS_EXTENSION]));
      const names: string[] = [];
      for await (const tool of client.iterateTools()) names.push(tool.name);
      expect(names).toEqual(expect.arrayContaining(['add', 'slow_compute', 'failing_job', 'greet']));
    } finally {
      await client.close();
    }
  });
});
