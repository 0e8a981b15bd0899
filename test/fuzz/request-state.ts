/** Fuzz properties of MRTR request state: sealing, tamper rejection, canonical JSON, params digests. */
import fc from 'fast-check';
import { ErrorCode, McpError } from '../../src/protocol/index.ts';
import {
  canonicalJson,
  paramsDigest,
  RequestStateCodec,
  type StatePayload,
} from '../../src/server/request-state.ts';
import { jsonValueArb } from './arbitraries.ts';
import { defineProperty, type FuzzGroup } from './runner.ts';

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

const payloadArb: fc.Arbitrary<StatePayload> = fc.record({
  answers: fc.dictionary(fc.string({ maxLength: 8 }), jsonValueArb, { maxKeys: 4 }),
  method: fc.constantFrom('tools/call', 'prompts/get', 'resources/read'),
  digest: fc.string({ minLength: 1, maxLength: 44 }),
  principal: fc.oneof(fc.constant(''), fc.string({ maxLength: 12 })),
  expires: fc.constant(0),
});

/** One edit of a sealed state's text. */
type Edit =
  | { kind: 'replace'; at: number; char: string }
  | { kind: 'delete'; at: number }
  | { kind: 'insert'; at: number; char: string }
  | { kind: 'truncate'; at: number }
  | { kind: 'swap-signature' }
  | { kind: 'swap-body' };

const charArb = fc.oneof(fc.constantFrom(...B64URL.split('')), fc.constantFrom('.', '=', '+', '/', ' ', 'é'));
const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), char: charArb }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), char: charArb }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.constant({ kind: 'swap-signature' as const }),
  fc.constant({ kind: 'swap-body' as const }),
);

function applyEdit(state: string, other: string, e: Edit): string {
  const at = 'at' in e ? e.at % (state.length + 1) : 0;
  const [body, sig] = state.split('.');
  const [otherBody, otherSig] = other.split('.');
  switch (e.kind) {
    case 'replace':
      return state.slice(0, at) + e.char + state.slice(at + 1);
    case 'delete':
      return state.slice(0, at) + state.slice(at + 1);
    case 'insert':
      return state.slice(0, at) + e.char + state.slice(at);
    case 'truncate':
      return state.slice(0, at);
    case 'swap-signature':
      return `${body}.${otherSig}`;
    case 'swap-body':
      return `${otherBody}.${sig}`;
  }
}

/** The bytes a base64url text stands for, or undefined when it is not base64url. */
function b64urlBytes(text: string): string | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  try {
    return atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
  } catch {
    return undefined;
  }
}

/**
 * Whether an edit changed what the state says: its body text or its signature bytes. A last signature
 * character that differs only in the unused low bits decodes to the same bytes and still verifies.
 */
function changesMeaning(original: string, edited: string): boolean {
  if (edited === original) return false;
  const dot = edited.indexOf('.');
  if (dot < 0) return true;
  const [body, sig] = original.split('.');
  if (edited.slice(0, dot) !== body) return true;
  return b64urlBytes(edited.slice(dot + 1)) !== b64urlBytes(sig);
}

async function rejects(promise: Promise<unknown>): Promise<void> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof McpError && error.code === ErrorCode.InvalidParams) return;
    throw new Error(`rejected with ${String(error)}, not McpError -32602`);
  }
  throw new Error('accepted');
}

/** JSON text with the keys of every object in code-unit order (the oracle for canonicalJson). */
function sortedText(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedText).join(',')}]`;
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  const keys = Object.keys(value).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${keys.map((k) => `${JSON.stringify(k)}:${sortedText((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

/** A copy of a value with the keys of every object put in another order. */
function shuffleKeys(value: unknown, order: number[], depth = 0): unknown {
  if (Array.isArray(value)) return value.map((v) => shuffleKeys(v, order, depth + 1));
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value);
  const shift = entries.length === 0 ? 0 : (order[depth % Math.max(1, order.length)] ?? 0) % entries.length;
  const rotated = [...entries.slice(shift), ...entries.slice(0, shift)].reverse();
  const out: Record<string, unknown> = {};
  for (const [k, v] of rotated) {
    Object.defineProperty(out, k, {
      value: shuffleKeys(v, order, depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

const codec = new RequestStateCodec('fuzz secret');
const future = () => Date.now() + 60_000;

/** The request state properties. */
export const requestStateFuzz: FuzzGroup = {
  parser: 'MRTR request state',
  properties: [
    defineProperty('a sealed state opens to the same payload for its own request', () =>
      fc.asyncProperty(payloadArb, async (p) => {
        const payload = { ...p, expires: future() };
        const opened = await codec.open(await codec.seal(payload), p.method, p.digest, p.principal);
        if (JSON.stringify(opened) !== JSON.stringify(payload))
          throw new Error(`opened ${JSON.stringify(opened)}`);
      }),
    ),
    defineProperty('any edit of a sealed state that changes it is rejected with -32602', () =>
      fc.asyncProperty(
        payloadArb,
        payloadArb,
        fc.array(editArb, { minLength: 1, maxLength: 3 }),
        async (p, q, edits) => {
          const payload = { ...p, expires: future() };
          const state = await codec.seal(payload);
          const other = await codec.seal({ ...q, expires: future() });
          let edited = state;
          for (const e of edits) edited = applyEdit(edited, other, e);
          if (!changesMeaning(state, edited)) return;
          await rejects(codec.open(edited, p.method, p.digest, p.principal));
        },
      ),
    ),
    defineProperty(
      'a state used for another request, principal, or after expiry is rejected with -32602',
      () =>
        fc.asyncProperty(
          payloadArb,
          fc.constantFrom('method', 'digest', 'principal', 'expired', 'other-secret'),
          async (p, change) => {
            const payload = { ...p, expires: change === 'expired' ? Date.now() - 1 : future() };
            const state = await (change === 'other-secret' ? new RequestStateCodec('other') : codec).seal(
              payload,
            );
            const method = change === 'method' ? `${p.method}x` : p.method;
            const digest = change === 'digest' ? `${p.digest}x` : p.digest;
            const principal = change === 'principal' ? `${p.principal}x` : p.principal;
            await rejects(codec.open(state, method, digest, principal));
          },
        ),
    ),
    defineProperty('any value that is not a state the server sealed is rejected with -32602', () =>
      fc.asyncProperty(
        fc.oneof(jsonValueArb, fc.string(), fc.stringMatching(/^[A-Za-z0-9_-]{0,60}\.[A-Za-z0-9_-]{0,50}$/)),
        async (value) => {
          await rejects(codec.open(value, 'tools/call', 'd', ''));
        },
      ),
    ),
    defineProperty('canonicalJson is JSON with sorted keys, whatever the key order of the value', () =>
      fc.property(jsonValueArb, fc.array(fc.nat(), { maxLength: 5 }), (value, order) => {
        const text = canonicalJson(value);
        if (text !== sortedText(value)) throw new Error(`${text} is not the sorted JSON text`);
        if (canonicalJson(shuffleKeys(value, order)) !== text) throw new Error('key order changed the text');
        if (canonicalJson(JSON.parse(text)) !== text) throw new Error(`${text} does not read back`);
      }),
    ),
    defineProperty(
      'paramsDigest ignores key order, _meta, inputResponses and requestState',
      () =>
        fc.asyncProperty(
          fc.dictionary(fc.string({ maxLength: 6 }), jsonValueArb, { maxKeys: 5 }),
          fc.array(fc.nat(), { maxLength: 5 }),
          jsonValueArb,
          async (params, order, noise) => {
            const a = await paramsDigest(params);
            const b = await paramsDigest({
              ...(shuffleKeys(params, order) as Record<string, unknown>),
              _meta: noise,
              inputResponses: noise,
              requestState: noise,
            });
            const { _meta: _m, inputResponses: _i, requestState: _s, ...rest } = params;
            if (a !== b || a !== (await paramsDigest(rest))) throw new Error('digest changed');
          },
        ),
      0.5,
    ),
  ],
};
