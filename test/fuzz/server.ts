/** Fuzz properties of McpServer's inbound path: a session fed raw text over a raw transport. */
import fc from 'fast-check';
import { z } from 'zod';
import { ErrorCode, MetaKey, MODERN_REVISION } from '../../src/protocol/index.ts';
import { McpServer } from '../../src/server/index.ts';
import { idArb, jsonValueArb, methodArb, paramsArb } from './arbitraries.ts';
import {
  checkInbound,
  type InboundRules,
  type InboundTarget,
  inboundTextArb,
  JSONRPC_CODES,
  rawTransport,
} from './inbound.ts';
import { defineProperty, type FuzzGroup } from './runner.ts';

/** A server with a tool, resources, a template and a prompt, so that every method has something to do. */
export function fuzzServer(): McpServer {
  const server = new McpServer({ name: 'fuzz', version: '1.0.0', onError: () => {} });
  server.tool(
    'echo',
    { description: 'Echoes text', input: z.object({ text: z.string() }) },
    ({ text }) => text,
  );
  server.tool(
    'add',
    {
      description: 'Adds',
      input: {
        type: 'object',
        properties: { a: { type: 'integer' }, b: { type: 'integer' } },
        required: ['a', 'b'],
      },
    },
    (args) => String((args as { a: number }).a + (args as { b: number }).b),
  );
  server.tool('fail', { description: 'Fails' }, () => {
    throw new Error('tool failed');
  });
  server.resource('demo://a', { name: 'a', mimeType: 'text/plain' }, () => 'A');
  server.resourceTemplate(
    'demo://item/{id}',
    { name: 'item', complete: { id: () => ['1', '2'] } },
    (_uri, v) => JSON.stringify(v),
  );
  server.prompt(
    'hello',
    { description: 'Greets', arguments: [{ name: 'who', required: true }] },
    (a) => `Hi ${a.who}`,
  );
  return server;
}

const ENVELOPE_CODES = new Set([
  ErrorCode.HeaderMismatch,
  ErrorCode.MissingRequiredClientCapability,
  ErrorCode.UnsupportedProtocolVersion,
]);

/**
 * Codes a server may answer a request with: JSON-RPC's five; -32002 for a resource that does not exist;
 * and the 2026-07-28 codes for a request that carries that revision's `_meta` envelope.
 */
function serverCodes(request: Record<string, unknown>): ReadonlySet<number> {
  const codes = new Set(JSONRPC_CODES);
  const method = request.method;
  if (method === 'resources/read' || method === 'resources/subscribe') codes.add(ErrorCode.ResourceNotFound);
  const meta = (request.params as { _meta?: unknown } | undefined)?._meta;
  if (typeof meta === 'object' && meta !== null && MetaKey.protocolVersion in meta) {
    for (const c of ENVELOPE_CODES) codes.add(c);
  }
  return codes;
}

/** What the oracle needs to know about McpServer: its codes, and that `subscriptions/listen` stays open. */
export const serverRules: InboundRules = {
  codes: serverCodes,
  openEnded: (request) => request.method === 'subscriptions/listen',
};

const REVISIONS = ['2024-11-05', '2025-03-26', '2025-06-18', '2025-11-25'] as const;

/** A fresh session on a shared server, initialized at a revision or not at all. */
async function serverTarget(server: McpServer, revision: string | undefined): Promise<InboundTarget> {
  const { transport, out, sink } = rawTransport();
  const session = await server.connect(transport);
  const target: InboundTarget = {
    send: (text) => sink().receiveText(text),
    out,
    // Batches are accepted once the session runs 2025-03-26 (an input may initialize it).
    get batches() {
      return session.ready && session.revision === '2025-03-26';
    },
    maxDepth: 64,
  };
  if (revision !== undefined) {
    target.send(
      JSON.stringify({
        jsonrpc: '2.0',
        id: '__init__',
        method: 'initialize',
        params: { protocolVersion: revision, capabilities: {}, clientInfo: { name: 'fuzz', version: '1' } },
      }),
    );
    target.send(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
    for (let i = 0; i < 50 && out.length === 0; i++) await new Promise((r) => setImmediate(r));
    const answer = out.shift() as { result?: { protocolVersion?: string } } | undefined;
    if (answer?.result?.protocolVersion !== revision)
      throw new Error(`initialize failed: ${JSON.stringify(answer)}`);
  }
  return target;
}

/** Requests of the stateless revision: an envelope in `_meta`, right or wrong. */
const modernRequestArb: fc.Arbitrary<string> = fc
  .record({
    id: idArb,
    method: methodArb,
    params: paramsArb,
    version: fc.oneof(fc.constant(MODERN_REVISION), fc.constantFrom('2025-11-25', 'x'), jsonValueArb),
    caps: fc.oneof(fc.constant({}), fc.constant({ elicitation: {} }), jsonValueArb),
    info: fc.oneof(fc.constant({ name: 'c', version: '1' }), jsonValueArb),
    level: fc.option(fc.oneof(fc.constantFrom('debug', 'error'), jsonValueArb), { nil: undefined }),
  })
  .map(({ id, method, params, version, caps, info, level }) => {
    const base = typeof params === 'object' && params !== null && !Array.isArray(params) ? params : {};
    const meta: Record<string, unknown> = {
      [MetaKey.protocolVersion]: version,
      [MetaKey.clientCapabilities]: caps,
      [MetaKey.clientInfo]: info,
    };
    if (level !== undefined) meta[MetaKey.logLevel] = level;
    return JSON.stringify({ jsonrpc: '2.0', id, method, params: { ...base, _meta: meta } });
  });

const revisionArb = fc.option(fc.constantFrom(...REVISIONS), { nil: undefined, freq: 3 });
const serverInputArb = fc.oneof(
  { weight: 4, arbitrary: inboundTextArb },
  { weight: 1, arbitrary: modernRequestArb },
);

/** The McpServer inbound properties. */
export const serverFuzz: FuzzGroup = {
  parser: 'McpServer inbound path',
  properties: [
    defineProperty('every input gets exactly the answers JSON-RPC requires, and ping still works', () => {
      const server = fuzzServer();
      return fc.asyncProperty(revisionArb, serverInputArb, async (revision, text) => {
        await checkInbound(await serverTarget(server, revision), text, serverRules);
      });
    }),
    defineProperty(
      'a long sequence of inputs on one session leaves it serving',
      () => {
        const server = fuzzServer();
        return fc.asyncProperty(
          revisionArb,
          fc.array(serverInputArb, { maxLength: 12 }),
          async (revision, texts) => {
            const target = await serverTarget(server, revision);
            for (const text of texts) await checkInbound(target, text, serverRules);
          },
        );
      },
      0.2,
    ),
  ],
};
