/**
 * What one idle mcpkit HTTP session keeps on the heap, by constructor: opens sessions on
 * `createHttpHandler` in this process (no sockets) as the memory scenario's clients do (initialize,
 * initialized, one call, the GET stream, here read through its body stream rather than the Node
 * adapter's sink), leaves them idle past the event store's 5 s grace for finished POST streams,
 * takes heap snapshots before and after, and prints the difference per session.
 *
 *   node --expose-gc .bench/bench/session-heap.js (after npm run bench builds it) [sessions=1000]
 */
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { createHttpHandler } from 'mcpkit/http';
import { McpServer } from 'mcpkit/server';
import { z } from 'zod';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
  nodes: number[];
  strings: string[];
}

const sessions = Number(process.argv[2] ?? 1000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

const server = new McpServer({ name: 'heap', version: '1.0.0' });
server.tool('echo', { input: z.object({ text: z.string() }) }, ({ text }) => ({
  content: [{ type: 'text', text }],
}));
const handler = createHttpHandler(server, { sessions: true });
const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

async function post(body: object, extra: Record<string, string> = {}): Promise<Response> {
  const response = await handler(
    new Request('http://127.0.0.1/mcp', {
      method: 'POST',
      headers: { ...headers, ...extra },
      body: JSON.stringify(body),
    }),
  );
  await response.text();
  return response;
}

async function open(): Promise<void> {
  const init = await post({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'c', version: '1' } },
  });
  const id = init.headers.get('mcp-session-id');
  if (!id) throw new Error(`initialize answered ${init.status} without a session id`);
  const session = { 'mcp-session-id': id, 'mcp-protocol-version': '2025-11-25' };
  await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, session);
  await post(
    { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'echo', arguments: { text: 'x' } } },
    session,
  );
  const get = await handler(
    new Request('http://127.0.0.1/mcp', { headers: { accept: 'text/event-stream', ...session } }),
  );
  if (get.status !== 200 || !get.body) throw new Error(`the GET stream answered ${get.status}`);
  streams.push(get.body.getReader());
}

/** The GET streams' readers, held so that the streams stay open. */
const streams: ReadableStreamDefaultReader<Uint8Array>[] = [];

/** Self size and count of heap objects, by constructor name (or node type). */
function census(): Map<string, { count: number; bytes: number }> {
  gc!();
  gc!();
  const file = writeHeapSnapshot(join(tmpdir(), `mcpkit-session-heap-${process.pid}.heapsnapshot`));
  const snap = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  rmSync(file);
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const out = new Map<string, { count: number; bytes: number }>();
  for (let i = 0; i < snap.nodes.length; i += fields.length) {
    const type = types[snap.nodes[i + typeAt]];
    const name = type === 'object' || type === 'closure' ? snap.strings[snap.nodes[i + nameAt]] : `(${type})`;
    const entry = out.get(name) ?? { count: 0, bytes: 0 };
    entry.count++;
    entry.bytes += snap.nodes[i + sizeAt];
    out.set(name, entry);
  }
  return out;
}

for (let i = 0; i < 20; i++) await open(); // warm the code paths first
const before = census();
for (let i = 0; i < sessions; i++) await open();
await new Promise((resolve) => setTimeout(resolve, 6000)); // past the grace of finished POST streams
const after = census();

const rows = [...after]
  .map(([name, a]) => {
    const b = before.get(name) ?? { count: 0, bytes: 0 };
    return { name, count: (a.count - b.count) / sessions, bytes: (a.bytes - b.bytes) / sessions };
  })
  .filter((r) => r.bytes > 1)
  .sort((x, y) => y.bytes - x.bytes);
const total = rows.reduce((sum, r) => sum + r.bytes, 0);
console.log(`${handler.sessionCount} sessions open; ${total.toFixed(0)} bytes of objects per session`);
for (const r of rows.slice(0, 30)) {
  console.log(
    `${r.bytes.toFixed(0).padStart(6)} B  ${r.count.toFixed(2).padStart(6)} objects  ${r.name || '(no name)'}`,
  );
}
for (const reader of streams) await reader.cancel();
await handler.close();
