/**
 * What an entry point evaluates: a fresh Node imports an entry of the sources (with a module hook
 * that records every module loaded, `require`d ones included) and the test checks the list. A stdio
 * server (`mcpkit/server` + `mcpkit/node`, one zod tool) must not load the development authorization
 * server, the reference server, the client, the HTTP client transports, the OAuth client, ajv or
 * node:http; ajv comes in with the first plain JSON Schema; the root entry does not load the client.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const src = (path: string) => pathToFileURL(join(ROOT, 'src', path)).href;

/** Preloaded in the child: records the URL of every module loaded and prints the list as JSON at exit. */
const HOOK = `
import { registerHooks } from 'node:module';
import { writeSync } from 'node:fs';
const loaded = [];
registerHooks({ load(url, context, next) { loaded.push(url); return next(url, context); } });
process.on('exit', () => writeSync(1, '\\n' + JSON.stringify(loaded)));
`;

/** The modules a fresh Node (with `flags`) loads running `code` (an ES module body, run in the repository). */
function modulesLoadedBy(code: string, flags: readonly string[] = []): string[] {
  const run = spawnSync(
    process.execPath,
    [
      ...flags,
      '--import',
      `data:text/javascript,${encodeURIComponent(HOOK)}`,
      '--input-type=module',
      '-e',
      code,
    ],
    { cwd: ROOT, encoding: 'utf8', timeout: 60_000 },
  );
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  const last = run.stdout.trim().split('\n').at(-1) ?? '[]';
  return (JSON.parse(last) as string[]).map((url) => url.replace(pathToFileURL(ROOT).href, ''));
}

/** What a stdio server whose tools use Standard Schemas must not load. */
const NOT_FOR_STDIO: ReadonlyArray<[string, RegExp]> = [
  ['the development authorization server', /\/src\/(auth\/dev-server\/|node\/auth-server)/],
  ['the reference server', /\/src\/reference\//],
  ['the client', /\/src\/client\//],
  ['the HTTP client transports', /\/src\/transport\/(streamable-http|sse-client)/],
  ['the OAuth client', /\/src\/auth\/(authorization|discovery|oauth-|token-endpoint)|\/oauth4webapi\//],
  ['ajv', /\/node_modules\/ajv\//],
  ['@cfworker/json-schema', /\/node_modules\/@cfworker\/json-schema\//],
  ['jose', /\/node_modules\/jose\//],
  ['node:http (only serveHttp and the loopback redirect need it)', /^node:http$/],
  ['node:child_process (only the stdio client and the browser opener need it)', /^node:child_process$/],
  ['node:dns and node:fs (only the OAuth client needs them)', /^node:(dns|fs)\/promises$/],
];

function offending(loaded: readonly string[], rules: ReadonlyArray<[string, RegExp]>): string[] {
  return rules.flatMap(([what, pattern]) => {
    const hits = loaded.filter((url) => pattern.test(url));
    return hits.length > 0 ? [`${what}: ${hits.slice(0, 3).join(', ')}`] : [];
  });
}

const STDIO_SERVER = `
const { McpServer } = await import(${JSON.stringify(src('server/index.ts'))});
const { StdioServerTransport } = await import(${JSON.stringify(src('node/index.ts'))});
const { z } = await import('zod');
const server = new McpServer({ name: 'slim', version: '1.0.0' });
server.tool(
  'add',
  { input: z.object({ a: z.number(), b: z.number() }), output: z.object({ sum: z.number() }) },
  ({ a, b }) => ({ structuredContent: { sum: a + b } }),
);
if (typeof StdioServerTransport !== 'function') throw new Error('no StdioServerTransport');
`;

describe('entry points load only what they need', () => {
  it('a stdio server with zod tools loads neither the dev auth server, the reference server, the client nor ajv', () => {
    const loaded = modulesLoadedBy(STDIO_SERVER);
    expect(loaded).toContain('/src/node/stdio-server.ts');
    expect(loaded).toContain('/src/server/server.ts');
    expect(offending(loaded, NOT_FOR_STDIO)).toEqual([]);
  });

  it('mcpkit/node alone loads none of them either', () => {
    const loaded = modulesLoadedBy(`await import(${JSON.stringify(src('node/index.ts'))});`);
    expect(loaded).toContain('/src/node/index.ts');
    expect(offending(loaded, NOT_FOR_STDIO)).toEqual([]);
  });

  it('loads ajv with the first tool whose schema is a plain JSON Schema, which then validates', () => {
    const loaded = modulesLoadedBy(`${STDIO_SERVER}
const { compileSchema } = await import(${JSON.stringify(src('schema/index.ts'))});
const input = { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] };
server.tool('count', { input }, ({ n }) => String(n));
const schema = compileSchema(input);
const good = schema.validate({ n: 1 });
const bad = schema.validate({ n: 'one' });
if (!good.ok || bad.ok || !bad.message.includes('expected integer')) throw new Error(JSON.stringify([good, bad]));
`);
    expect(loaded.some((url) => /\/node_modules\/ajv\//.test(url))).toBe(true);
  });

  it('loads @cfworker/json-schema on Node only when cfworkerValidator compiles a schema', () => {
    const loaded = modulesLoadedBy(`${STDIO_SERVER}
const { cfworkerValidator, createSchemaCompiler } = await import(${JSON.stringify(src('schema/index.ts'))});
const schema = createSchemaCompiler(cfworkerValidator)({ type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] });
const bad = schema.validate({ n: 'one' });
if (bad.ok || !bad.message.includes('expected integer')) throw new Error(JSON.stringify(bad));
`);
    expect(loaded.some((url) => /\/node_modules\/ajv\//.test(url))).toBe(false);
    expect(loaded.some((url) => /\/node_modules\/@cfworker\/json-schema\//.test(url))).toBe(true);
  });

  it('with the browser condition (no synchronous require), @cfworker/json-schema comes with the library and checks plain JSON Schemas; ajvValidator says why not', () => {
    const loaded = modulesLoadedBy(
      `
const { ajvValidator, compileSchema, SchemaError } = await import(${JSON.stringify(src('schema/index.ts'))});
const schema = compileSchema({ type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] });
const bad = schema.validate({ n: 'one' });
if (bad.ok || !bad.message.includes('expected integer')) throw new Error(JSON.stringify(bad));
let error;
try { ajvValidator.compile({ type: 'object' }, 'Schema "x"'); } catch (e) { error = e; }
if (!(error instanceof SchemaError) || !/could not be loaded here.*cfworkerValidator/.test(error.message)) throw error ?? new Error('compiled');
`,
      ['--conditions=browser'],
    );
    expect(loaded).toContain('/src/schema/runtime-web.ts');
    expect(loaded).not.toContain('/src/schema/runtime-node.ts');
    expect(loaded.some((url) => /\/node_modules\/ajv\//.test(url))).toBe(false);
    expect(loaded.some((url) => /\/node_modules\/@cfworker\/json-schema\//.test(url))).toBe(true);
  });

  it('the root entry loads the server but not the client', () => {
    const loaded = modulesLoadedBy(`await import(${JSON.stringify(src('index.ts'))});`);
    expect(loaded).toContain('/src/server/server.ts');
    expect(offending(loaded, NOT_FOR_STDIO)).toEqual([]);
  });
});

describe('the adapter contract', () => {
  it('is mcpkit/http/adapter, not part of the public mcpkit/http face', async () => {
    const face = await import('../src/http/index.ts');
    const adapter = await import('../src/http/adapter.ts');
    for (const name of [
      'provideBody',
      'provideSignal',
      'PROVIDED_BODIES',
      'jsonBodyText',
      'sseConnectionOf',
    ]) {
      expect(face).not.toHaveProperty(name);
      expect(adapter).toHaveProperty(name);
    }
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(pkg.exports['./http/adapter'].default).toBe('./dist/http/adapter.js');
  });
});
