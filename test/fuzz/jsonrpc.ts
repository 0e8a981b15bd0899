/** Fuzz properties of JSON-RPC classification: classify, depthExceeds, errorResponse. */
import fc from 'fast-check';
import { classify, depthExceeds, errorResponse } from '../../src/protocol/index.ts';
import { idArb, jsonValueArb, messageLikeArb, nest } from './arbitraries.ts';
import { defineProperty, type FuzzGroup } from './runner.ts';

/** A valid request id: a string or an integer every JSON parser reads exactly (within ±(2^53−1)). */
export function isValidId(value: unknown): value is string | number {
  return typeof value === 'string' || (typeof value === 'number' && Number.isSafeInteger(value));
}

/** Words the refusal of a request id must contain for each kind of bad id. */
function idTypeWords(id: unknown): string {
  if (id === null) return 'null';
  if (Array.isArray(id)) return 'array';
  if (typeof id === 'number') return Number.isInteger(id) ? 'send it as a string' : 'not an integer';
  return typeof id === 'object' ? 'an object' : typeof id;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Nesting depth of a value, computed recursively (the oracle for depthExceeds). */
export function depthOf(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  let deepest = 0;
  for (const child of Object.values(value)) deepest = Math.max(deepest, depthOf(child));
  return 1 + deepest;
}

/** What JSON-RPC 2.0 makes of a value, written from the specification alone. */
export function specKind(v: unknown): 'request' | 'notification' | 'response' | 'invalid' {
  if (!isPlainObject(v) || v.jsonrpc !== '2.0') return 'invalid';
  if ('method' in v) {
    if (typeof v.method !== 'string') return 'invalid';
    if (v.params !== undefined && !isPlainObject(v.params)) return 'invalid';
    if (!('id' in v)) return 'notification';
    return isValidId(v.id) ? 'request' : 'invalid';
  }
  const hasResult = 'result' in v;
  const hasError = 'error' in v;
  if (hasResult === hasError) return 'invalid';
  if (hasResult) return isValidId(v.id) && isPlainObject(v.result) ? 'response' : 'invalid';
  const e = v.error;
  if (!isPlainObject(e) || !Number.isInteger(e.code) || typeof e.message !== 'string') return 'invalid';
  return v.id === undefined || v.id === null || isValidId(v.id) ? 'response' : 'invalid';
}

const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: messageLikeArb },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 3, withNullPrototype: true, withObjectString: true }) },
  { weight: 1, arbitrary: jsonValueArb },
);

function fail(message: string, value: unknown): never {
  throw new Error(`${message}: ${JSON.stringify(value) ?? String(value)}`);
}

/** The JSON-RPC classification properties. */
export const jsonrpcFuzz: FuzzGroup = {
  parser: 'JSON-RPC classification',
  properties: [
    defineProperty('classify never throws and agrees with the specification', () =>
      fc.property(anyValue, (value) => {
        const c = classify(value);
        const want = specKind(value);
        if (c.kind !== want) fail(`classified ${c.kind}, the specification says ${want}`, value);
        if (c.kind === 'invalid') {
          if (c.id !== null && !isValidId(c.id)) fail('an invalid message got a bad id', value);
          if (c.id !== null && c.id !== (value as { id?: unknown }).id)
            fail('the id is not the message id', value);
          if (typeof c.reason !== 'string' || c.reason === '') fail('no reason given', value);
        } else if (c.kind === 'response' && c.message.id !== null && !isValidId(c.message.id)) {
          fail('a response came out with a bad id', value);
        }
      }),
    ),
    defineProperty('a request with a bad id is refused with id null and a reason naming what was sent', () =>
      fc.property(
        fc.oneof(idArb, fc.anything({ maxDepth: 2 })).filter((id) => id !== undefined && !isValidId(id)),
        (id) => {
          const c = classify({ jsonrpc: '2.0', id, method: 'tools/call', params: {} });
          if (c.kind !== 'invalid' || c.id !== null) fail('not refused with id null', { id });
          const words = idTypeWords(id);
          if (!c.reason.includes(words)) fail(`the reason "${c.reason}" does not say "${words}"`, { id });
        },
      ),
    ),
    defineProperty('classify gives the same answer for a message and its JSON text read back', () =>
      fc.property(messageLikeArb, (value) => {
        const back: unknown = JSON.parse(JSON.stringify(value));
        if (classify(back).kind !== classify(value).kind) fail('JSON round trip changed the kind', value);
      }),
    ),
    defineProperty('depthExceeds matches the recursive depth for every limit', () =>
      fc.property(
        fc.oneof(fc.anything({ maxDepth: 8 }), jsonValueArb, messageLikeArb),
        fc.integer({ min: 0, max: 10 }),
        (value, limit) => {
          if (depthExceeds(value, limit) !== depthOf(value) > limit) fail(`wrong at limit ${limit}`, value);
        },
      ),
    ),
    defineProperty(
      'depthExceeds handles very deep values without overflowing the stack',
      () =>
        fc.property(
          fc.integer({ min: 0, max: 200_000 }),
          fc.oneof(fc.nat(100), fc.integer({ min: 990, max: 5000 })),
          (depth, limit) => {
            const value = nest(depth, { jsonrpc: '2.0' });
            if (depthExceeds(value, limit) !== depth + 1 > limit)
              fail(`depth ${depth}, limit ${limit}`, limit);
          },
        ),
      0.05,
    ),
    defineProperty('errorResponse builds a response that classify reads back unchanged', () =>
      fc.property(
        fc.oneof(idArb.filter(isValidId), fc.constant(null)),
        fc.integer(),
        fc.string(),
        fc.option(jsonValueArb, { nil: undefined }),
        (id, code, message, data) => {
          const r = errorResponse(id as string | number | null, code, message, data);
          const text = JSON.stringify(r);
          const c = classify(JSON.parse(text));
          if (c.kind !== 'response') fail('not read back as a response', r);
          if (JSON.stringify(c.message) !== text) fail('read back differently', r);
          if (data === undefined && 'data' in r.error) fail('data present though none was given', r);
        },
      ),
    ),
  ],
};
