/** Generators shared by several fuzz properties: chunkings, text and JSON-RPC-shaped values. */
import fc from 'fast-check';

const encoder = new TextEncoder();

/** UTF-8 bytes of a string (lone surrogates become U+FFFD). */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Concatenates byte arrays. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let size = 0;
  for (const p of parts) size += p.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Cuts `bytes` at the given positions (taken modulo its length + 1); empty chunks may occur. */
export function cutBytes(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = cuts.map((c) => c % (bytes.length + 1)).sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const p of points) {
    chunks.push(bytes.subarray(from, p));
    from = p;
  }
  chunks.push(bytes.subarray(from));
  return chunks;
}

/** Cut positions for cutBytes: none, a few, or many (down to single bytes). */
export const cutsArb: fc.Arbitrary<number[]> = fc.oneof(
  fc.array(fc.nat(), { maxLength: 8 }),
  fc.array(fc.nat(), { minLength: 16, maxLength: 200 }),
);

/** Text of any code units, lone surrogates and control characters included. */
export const anyText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({
    unit: fc.constantFrom('\n', '\r', ' ', '\t', '\u0000', '\u2028', '\uFEFF', '\uD800', 'é', '😀'),
  }),
  fc.string({ maxLength: 40 }),
);

/** A JSON value, strings of any code points. */
export const jsonValueArb: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 4, stringUnit: 'grapheme' });

/** A request id, valid or not. */
export const idArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -1000, max: 1_000_000 }) },
  { weight: 3, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.constantFrom(null, 1.5, -0, true, false, [], {}, [1], 'ping', 2 ** 53, 1e300) },
  // Integers at and past the edge of what every JSON parser reads exactly (2^53 − 1).
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.constantFrom(
        Number.MAX_SAFE_INTEGER,
        -Number.MAX_SAFE_INTEGER,
        2 ** 53 + 2,
        Number(12345678901234567890123n),
      ),
      fc.bigInt({ min: 2n ** 53n, max: 2n ** 90n }).map((n) => Number(n)),
      fc.bigInt({ min: 2n ** 53n, max: 2n ** 90n }).map((n) => -Number(n)),
    ),
  },
);

/** Method names: MCP's own, near misses, and random text. */
export const methodArb: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      'initialize',
      'ping',
      'tools/list',
      'tools/call',
      'resources/list',
      'resources/read',
      'resources/templates/list',
      'resources/subscribe',
      'resources/unsubscribe',
      'prompts/list',
      'prompts/get',
      'completion/complete',
      'logging/setLevel',
      'server/discover',
      'subscriptions/listen',
      'notifications/initialized',
      'notifications/cancelled',
      'notifications/progress',
      'notifications/roots/list_changed',
      'tasks/get',
      'rpc.discover',
      '__proto__',
      'constructor',
      'toString',
    ),
  },
  { weight: 2, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 1, arbitrary: fc.constantFrom(null, 1, true, {}, []) },
);

/** Parameter objects: random JSON objects, and ones shaped like MCP params with wrong member types. */
export const paramsArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), jsonValueArb, { maxKeys: 5 }) },
  {
    weight: 4,
    arbitrary: fc.record(
      {
        name: fc.oneof(fc.constantFrom('echo', 'fail', 'add', 'missing', 'hello'), jsonValueArb),
        uri: fc.oneof(fc.constantFrom('demo://a', 'demo://item/7', 'demo://item/', 'x:y'), jsonValueArb),
        arguments: fc.oneof(
          fc.record({ text: fc.oneof(fc.string(), jsonValueArb), a: jsonValueArb, b: jsonValueArb }),
          jsonValueArb,
        ),
        protocolVersion: fc.oneof(
          fc.constantFrom('2024-11-05', '2025-03-26', '2025-06-18', '2025-11-25', '2026-07-28'),
          jsonValueArb,
        ),
        capabilities: jsonValueArb,
        clientInfo: jsonValueArb,
        cursor: jsonValueArb,
        level: fc.oneof(fc.constantFrom('debug', 'info', 'emergency'), jsonValueArb),
        ref: jsonValueArb,
        argument: jsonValueArb,
        requestId: idArb,
        progressToken: idArb,
        _meta: fc.oneof(jsonValueArb, fc.record({ progressToken: idArb }, { requiredKeys: [] })),
      },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: jsonValueArb },
);

/** Objects shaped like JSON-RPC messages, each member present or not, valid or not. */
export const messageLikeArb: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    jsonrpc: fc.oneof(
      { weight: 8, arbitrary: fc.constant('2.0') },
      { weight: 1, arbitrary: fc.constantFrom('1.0', '2', 2, null) },
    ),
    id: idArb,
    method: methodArb,
    params: paramsArb,
    result: fc.oneof(fc.dictionary(fc.string({ maxLength: 6 }), jsonValueArb, { maxKeys: 3 }), jsonValueArb),
    error: fc.oneof(
      fc.record({ code: fc.oneof(fc.integer(), jsonValueArb), message: fc.oneof(fc.string(), jsonValueArb) }),
      jsonValueArb,
    ),
  },
  { requiredKeys: [] },
);

/** A value nested `depth` levels deep (arrays and objects alternating), with `leaf` at the bottom. */
export function nest(depth: number, leaf: unknown): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = i % 2 === 0 ? [v] : { k: v };
  return v;
}
