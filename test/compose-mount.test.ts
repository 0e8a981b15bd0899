/**
 * Servers composed from servers: the official everything and filesystem servers (stdio), a second
 * mcpkit server over Streamable HTTP (which speaks 2026-07-28 to the mount) and a server that dies
 * when called, all mounted into one server served over HTTP, driven by the official v1 client and
 * the official v2 client pinned to 2026-07-28.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StreamableHTTPClientTransport as ModernHttp } from '@modelcontextprotocol/client';
import { Client as LegacyClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as LegacyHttp } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { McpClient } from '../src/client/index.ts';
import { createUpstreamClient, type Mount, transformTools } from '../src/compose/index.ts';
import { createHttpHandler, type HttpHandler } from '../src/http/index.ts';
import { type HttpServerHandle, StdioClientTransport, serveHttp } from '../src/node/index.ts';
import { McpServer } from '../src/server/index.ts';
import { StreamableHttpClientTransport } from '../src/transport/index.ts';
import { acceptWithDefaults, REPO_ROOT, textOf } from './support/sdk-client.ts';
import { MODERN, modernClient } from './support/sdk-v2-client.ts';

const EVERYTHING = join(REPO_ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
const FILESYSTEM = join(REPO_ROOT, 'node_modules/@modelcontextprotocol/server-filesystem/dist/index.js');
const CRASHER = join(REPO_ROOT, 'test/fixtures/cli-crash-server.mjs');

/** A promise with its resolve function. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** What the HTTP child saw: the cancellation of its slow tool reaching it. */
const web = { cancelled: deferred<string>(), started: deferred<void>() };

function webChild(): McpServer {
  const server = new McpServer({ name: 'web', version: '1.0.0' });
  server.tool('slow', { description: 'Waits until cancelled.' }, (_args, ctx) => {
    web.started.resolve();
    return new Promise((_resolve, reject) => {
      ctx.signal.addEventListener('abort', () => {
        web.cancelled.resolve(String(ctx.signal.reason));
        reject(ctx.signal.reason);
      });
    });
  });
  server.tool(
    'greet',
    { input: { type: 'object', properties: { who: { type: 'string' } } } },
    (a) => `hello ${String(a.who)}`,
  );
  return server;
}

async function stdioUpstream(command: string, args: string[]): Promise<McpClient> {
  const client = createUpstreamClient({ name: 'composite', version: '1.0.0' });
  await client.connect(
    new StdioClientTransport({ command: process.execPath, args: [command, ...args], stderr: 'ignore' }),
  );
  return client;
}

describe('one server composed of everything, filesystem, an HTTP mcpkit server and one that dies', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcpkit-compose-'));
  const calls: string[] = [];
  const mounts: Record<string, Mount> = {};
  const closed = deferred<Error | undefined>();
  let child: McpServer;
  let childHttp: { handler: HttpHandler; listening: HttpServerHandle };
  let composite: McpServer;
  let front: { handler: HttpHandler; listening: HttpServerHandle };
  let url: URL;
  let legacy: LegacyClient;

  beforeAll(async () => {
    writeFileSync(join(dir, 'note.txt'), 'composed');
    child = webChild();
    const childHandler = createHttpHandler(child);
    childHttp = { handler: childHandler, listening: await serveHttp(childHandler, { port: 0 }) };

    composite = new McpServer({
      name: 'composite',
      version: '1.0.0',
      middleware: [
        async (request, next) => {
          if (request.direction === 'inbound' && request.method === 'tools/call')
            calls.push(String(request.params?.name));
          return next();
        },
      ],
    });
    transformTools(composite, {
      'every_get-env': { hide: true },
      fs_read_text_file: { name: 'read_note', description: 'Reads a note.', fixed: { head: 1 } },
      'every_get-sum': { fixed: { b: 10 }, description: 'Adds ten.' },
    });
    const web = createUpstreamClient({ name: 'composite', version: '1.0.0' });
    await web.connect(new StreamableHttpClientTransport(`${childHttp.listening.url}/mcp`));
    expect(web.era).toBe('modern');
    mounts.every = await composite.mount('every', await stdioUpstream(EVERYTHING, ['stdio']));
    mounts.fs = await composite.mount('fs', await stdioUpstream(FILESYSTEM, [dir]));
    mounts.web = await composite.mount('web', web);
    mounts.crash = await composite.mount('crash', await stdioUpstream(CRASHER, []), {
      onClose: (reason) => closed.resolve(reason),
    });
    const handler = createHttpHandler(composite);
    front = { handler, listening: await serveHttp(handler, { port: 0 }) };
    url = new URL(`${front.listening.url}/mcp`);

    legacy = new LegacyClient({ name: 'v1', version: '1.0.0' }, { capabilities: { elicitation: {} } });
    legacy.setRequestHandler(ElicitRequestSchema, async (request) => acceptWithDefaults(request.params));
    await legacy.connect(new LegacyHttp(url));
  });

  afterAll(async () => {
    await legacy?.close();
    for (const m of Object.values(mounts)) await m.unmount();
    for (const m of Object.values(mounts)) await m.client.close();
    await front?.handler.close();
    await front?.listening.close();
    await childHttp?.handler.close();
    await childHttp?.listening.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists every child under its prefix, with the transforms applied', async () => {
    await expect
      .poll(async () => (await legacy.listTools()).tools.map((t) => t.name))
      .toContain('every_trigger-elicitation-request');
    const tools = (await legacy.listTools()).tools;
    const names = tools.map((t) => t.name);
    expect(names).toEqual(
      expect.arrayContaining(['every_echo', 'fs_list_directory', 'web_slow', 'web_greet', 'crash_crash']),
    );
    expect(names).not.toContain('every_get-env');
    expect(names).not.toContain('fs_read_text_file');
    const read = tools.find((t) => t.name === 'read_note');
    expect(read?.description).toBe('Reads a note.');
    expect(Object.keys(read?.inputSchema.properties ?? {})).not.toContain('head');
    const sum = tools.find((t) => t.name === 'every_get-sum');
    expect(sum?.description).toBe('Adds ten.');
    expect(Object.keys(sum?.inputSchema.properties ?? {})).toEqual(['a']);
  });

  it('calls through the mounts, with the fixed arguments enforced and the middleware seeing every call', async () => {
    expect(textOf(await legacy.callTool({ name: 'every_echo', arguments: { message: 'hi' } }))).toBe(
      'Echo: hi',
    );
    expect(textOf(await legacy.callTool({ name: 'every_get-sum', arguments: { a: 1 } }))).toContain('11');
    expect(
      textOf(await legacy.callTool({ name: 'read_note', arguments: { path: join(dir, 'note.txt') } })),
    ).toBe('composed');
    expect(textOf(await legacy.callTool({ name: 'web_greet', arguments: { who: 'v1' } }))).toBe('hello v1');
    const hidden = await legacy.callTool({ name: 'every_get-env', arguments: {} }).catch((e: Error) => e);
    expect(String(hidden)).toContain("Unknown tool 'every_get-env'");
    expect(calls).toEqual(['every_echo', 'every_get-sum', 'read_note', 'web_greet', 'every_get-env']);
  });

  it('serves resources, templates and prompts under the prefix, and completes through the mount', async () => {
    const resources = (await legacy.listResources()).resources.map((r) => r.uri);
    expect(resources).toContain('every+demo://resource/static/document/architecture.md');
    const read = await legacy.readResource({ uri: 'every+demo://resource/static/document/architecture.md' });
    expect(read.contents[0]?.uri).toBe('every+demo://resource/static/document/architecture.md');
    const templates = (await legacy.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate);
    expect(templates).toContain('every+demo://resource/dynamic/text/{resourceId}');
    const dynamic = await legacy.readResource({ uri: 'every+demo://resource/dynamic/text/3' });
    expect(dynamic.contents[0]?.uri).toBe('every+demo://resource/dynamic/text/3');
    const prompts = (await legacy.listPrompts()).prompts.map((p) => p.name);
    expect(prompts).toContain('every_simple-prompt');
    const completion = await legacy.complete({
      ref: { type: 'ref/prompt', name: 'every_completable-prompt' },
      argument: { name: 'department', value: 'S' },
    });
    expect(completion.completion.values).toEqual(['Sales', 'Support']);
  });

  it('relays progress from a child to the caller', async () => {
    const progress: number[] = [];
    await legacy.callTool(
      { name: 'every_trigger-long-running-operation', arguments: { duration: 0.4, steps: 2 } },
      undefined,
      { onprogress: (p) => progress.push(p.progress) },
    );
    expect(progress).toEqual([1, 2]);
  });

  it('carries an elicitation through two hops to the official v1 client', async () => {
    const result = await legacy.callTool({ name: 'every_trigger-elicitation-request', arguments: {} });
    expect(textOf(result)).toContain('User provided the requested information');
  });

  it('carries an elicitation through two hops to the official v2 client pinned to 2026-07-28', async () => {
    const { client, seen } = modernClient('v2-compose');
    await client.connect(new ModernHttp(url));
    try {
      expect(client.getNegotiatedProtocolVersion()).toBe(MODERN);
      const result = await client.callTool({ name: 'every_trigger-elicitation-request', arguments: {} });
      expect(textOf(result)).toContain('User provided the requested information');
      expect(seen.elicitation).toHaveLength(1);
      expect(textOf(await client.callTool({ name: 'web_greet', arguments: { who: 'v2' } }))).toBe('hello v2');
    } finally {
      await client.close();
    }
  });

  it("relays a child's list_changed: a tool added to the HTTP child appears on the composite", async () => {
    const changed = deferred<void>();
    legacy.setNotificationHandler(ToolListChangedNotificationSchema, () => changed.resolve());
    const added = child.tool('added', { description: 'New.' }, () => 'new');
    await changed.promise;
    await expect.poll(async () => (await legacy.listTools()).tools.map((t) => t.name)).toContain('web_added');
    expect(textOf(await legacy.callTool({ name: 'web_added', arguments: {} }))).toBe('new');
    added.remove();
    await expect
      .poll(async () => (await legacy.listTools()).tools.map((t) => t.name))
      .not.toContain('web_added');
  });

  it('passes a cancellation on to the child', async () => {
    const abort = new AbortController();
    const call = legacy.callTool({ name: 'web_slow', arguments: {} }, undefined, { signal: abort.signal });
    await web.started.promise;
    abort.abort('enough');
    await expect(call).rejects.toThrow();
    expect(await web.cancelled.promise).toBeTruthy();
  });

  it('turns a child dying mid-call into an error answer, then drops its tools', async () => {
    const started = Date.now();
    const result = await legacy.callTool({ name: 'crash_crash', arguments: {} }).then(
      (r) => ({ isError: r.isError === true, text: textOf(r) }),
      (e: Error) => ({ isError: true, text: e.message }),
    );
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/closed|exited/i);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await closed.promise).toBeDefined();
    const names = (await legacy.listTools()).tools.map((t) => t.name);
    expect(names).not.toContain('crash_crash');
    expect(names).toContain('every_echo');
  });
});
