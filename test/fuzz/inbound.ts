/**
 * The whole inbound path as a client sees it: raw text in, messages out. An oracle written from the
 * JSON-RPC specification says which answers each input must get; `checkInbound` feeds one input to a
 * live target, waits until it is quiet, checks the answers, and checks that a ping is still answered.
 */
import fc from 'fast-check';
import { ErrorCode } from '../../src/protocol/index.ts';
import type { Transport, TransportSink } from '../../src/rpc/index.ts';
import { anyText, jsonValueArb, messageLikeArb, nest } from './arbitraries.ts';
import { depthOf, isValidId, specKind } from './jsonrpc.ts';

/** The error codes a JSON-RPC peer may answer a request with. */
export const JSONRPC_CODES: ReadonlySet<number> = new Set([
  ErrorCode.ParseError,
  ErrorCode.InvalidRequest,
  ErrorCode.MethodNotFound,
  ErrorCode.InvalidParams,
  ErrorCode.InternalError,
]);

/** A live peer under test, behind a raw transport. */
export interface InboundTarget {
  /** Hands raw text to the peer as one received frame. */
  send(text: string): void;
  /** Everything the peer has sent, in order (an array is a batch answer). */
  readonly out: unknown[];
  /** Whether the peer accepts batches now. */
  readonly batches: boolean;
  /** The depth limit of received messages. */
  readonly maxDepth: number;
}

/** A raw transport that records what is sent and exposes the sink. */
export function rawTransport(): { transport: Transport; out: unknown[]; sink: () => TransportSink } {
  const out: unknown[] = [];
  let sink: TransportSink | undefined;
  const transport: Transport = {
    start(s) {
      sink = s;
    },
    send(message) {
      out.push(JSON.parse(JSON.stringify(message)));
    },
    async close() {
      sink?.closed();
    },
  };
  return {
    transport,
    out,
    sink: () => {
      if (!sink) throw new Error('The transport was not started.');
      return sink;
    },
  };
}

/** What the oracle may be told about a target beyond JSON-RPC itself. */
export interface InboundRules {
  /** Error codes allowed in the answer to a request (default: JSON-RPC's five). */
  codes?: (request: Record<string, unknown>) => ReadonlySet<number>;
  /** Requests that may stay unanswered while they run (a long-lived stream, for example). */
  openEnded?: (request: Record<string, unknown>) => boolean;
}

interface Want {
  /** Answers expected. */
  n: number;
  /** Whether fewer are fine (a request that may be cancelled, or open-ended). */
  atMost: boolean;
  /** The error code required, when the oracle knows it. */
  code: number | undefined;
  /** The request itself, when the answer is to a request. */
  request: Record<string, unknown> | undefined;
}

const keyOf = (id: unknown): string => JSON.stringify(id ?? null);

class Expected {
  readonly wants = new Map<string, Want>();

  add(id: unknown, code: number | undefined, request?: Record<string, unknown>, atMost = false): void {
    const k = keyOf(id);
    const prior = this.wants.get(k);
    if (!prior) {
      this.wants.set(k, { n: 1, atMost, code, request });
      return;
    }
    prior.n++;
    prior.atMost ||= atMost;
    if (prior.code !== code) prior.code = undefined;
    prior.request ??= request;
  }
}

/** The answers an input must get, from the specification (and the peer's documented depth limit). */
function expectedAnswers(text: string, target: InboundTarget, rules: InboundRules): Expected {
  const e = new Expected();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    e.add(null, ErrorCode.ParseError);
    return e;
  }
  if (typeof value === 'object' && value !== null && depthOf(value) > target.maxDepth) {
    // The depth check runs before classification; a response-shaped message is never answered.
    if (responseShaped(value, false)) return e;
    const id = Array.isArray(value) ? null : (value as { id?: unknown }).id;
    e.add(isValidId(id) ? id : null, ErrorCode.InvalidRequest);
    return e;
  }
  if (!Array.isArray(value)) {
    one(e, value, new Set(), rules);
    return e;
  }
  if (!target.batches || value.length === 0) {
    e.add(null, ErrorCode.InvalidRequest);
    return e;
  }
  // A cancellation later in the same batch may end an earlier request, which then gets no answer.
  const cancelled = new Set<string>();
  for (const v of value) {
    if (specKind(v) === 'notification' && (v as { method: string }).method === 'notifications/cancelled') {
      const p = (v as { params?: { requestId?: unknown } }).params;
      if (p?.requestId !== undefined) cancelled.add(keyOf(p.requestId));
    }
  }
  for (const v of value) one(e, v, cancelled, rules);
  return e;
}

function one(e: Expected, v: unknown, cancelled: Set<string>, rules: InboundRules): void {
  const kind = specKind(v);
  if (kind === 'request') {
    const r = v as Record<string, unknown>;
    e.add(r.id, undefined, r, cancelled.has(keyOf(r.id)) || (rules.openEnded?.(r) ?? false));
  } else if (kind === 'invalid') {
    // A malformed response is never answered (it would name the other side's request).
    if (responseShaped(v, true)) return;
    const id = typeof v === 'object' && v !== null ? (v as { id?: unknown }).id : undefined;
    e.add(isValidId(id) ? id : null, ErrorCode.InvalidRequest);
  }
}

/** Whether a value looks like a response: no string method, and a result or an error member. */
function responseShaped(v: unknown, needsVersion: boolean): boolean {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const m = v as Record<string, unknown>;
  if (needsVersion && m.jsonrpc !== '2.0') return false;
  if (needsVersion ? 'method' in m : typeof m.method === 'string') return false;
  return 'result' in m || 'error' in m;
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const PING_ID = '__fuzz_ping__';

/** Answers sent since `from`, by id key (the peer's own requests and notifications left out). */
function answersSince(target: InboundTarget, from: number): Map<string, Array<Record<string, unknown>>> {
  const got = new Map<string, Array<Record<string, unknown>>>();
  for (const m of target.out.slice(from)) {
    for (const r of Array.isArray(m) ? m : [m]) {
      const msg = r as Record<string, unknown>;
      if ('method' in msg) continue;
      const list = got.get(keyOf(msg.id)) ?? [];
      list.push(msg);
      got.set(keyOf(msg.id), list);
    }
  }
  return got;
}

/** Turns the event loop until `done()` or until `ms` have passed; returns whether `done()` held. */
async function until(done: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (done()) return true;
    if (Date.now() > deadline) return false;
    await turn();
  }
}

/**
 * Feeds one input and checks its answers: no throw, exactly the answers the oracle expects, each a
 * well-formed response whose error code the rules allow, parse errors with id null, and a ping
 * answered afterwards.
 */
export async function checkInbound(
  target: InboundTarget,
  text: string,
  rules: InboundRules = {},
): Promise<void> {
  const expected = expectedAnswers(text, target, rules);
  const from = target.out.length;
  target.send(text);
  const complete = () => {
    const got = answersSince(target, from);
    for (const [k, want] of expected.wants)
      if (!want.atMost && (got.get(k)?.length ?? 0) < want.n) return false;
    return true;
  };
  await until(complete, 2000);
  const pingFrom = target.out.length;
  target.send(JSON.stringify({ jsonrpc: '2.0', id: PING_ID, method: 'ping' }));
  const pinged = await until(() => answersSince(target, pingFrom).has(keyOf(PING_ID)), 2000);
  if (!pinged) throw new Error('The peer stopped answering ping.');
  for (let i = 0; i < 3; i++) await turn();
  const got = answersSince(target, from);
  const ping = got.get(keyOf(PING_ID));
  if (ping?.length !== 1 || typeof ping[0].result !== 'object')
    throw new Error(`Bad ping answer ${JSON.stringify(ping)}`);
  got.delete(keyOf(PING_ID));
  for (const [k, list] of got) {
    const want = expected.wants.get(k);
    if (!want) throw new Error(`Unexpected answer(s) ${JSON.stringify(list)}`);
    if (want.atMost ? list.length > want.n : list.length !== want.n) {
      throw new Error(`Expected ${want.n} answer(s) for id ${k}, got ${JSON.stringify(list)}`);
    }
    const codes = want.request && rules.codes ? rules.codes(want.request) : JSONRPC_CODES;
    for (const r of list) checkResponse(r, want.code, codes);
  }
  for (const [k, want] of expected.wants) {
    if (!got.has(k) && !want.atMost) throw new Error(`No answer for id ${k}`);
  }
}

function checkResponse(
  r: Record<string, unknown>,
  code: number | undefined,
  codes: ReadonlySet<number>,
): void {
  const bad = (why: string): never => {
    throw new Error(`${why}: ${JSON.stringify(r)}`);
  };
  if (r.jsonrpc !== '2.0') bad('Answer without jsonrpc "2.0"');
  if (!('id' in r)) bad('Answer without id');
  if ('result' in r === 'error' in r) bad('Answer with both or neither of result and error');
  if ('result' in r) {
    if (typeof r.result !== 'object' || r.result === null || Array.isArray(r.result))
      bad('Result not an object');
    if (code !== undefined) bad(`Expected error ${code}, got a result`);
    return;
  }
  const e = r.error as { code?: unknown; message?: unknown };
  if (typeof e !== 'object' || e === null || typeof e.message !== 'string') bad('Malformed error');
  if (code !== undefined && e.code !== code) bad(`Expected error ${code}`);
  if (!codes.has(e.code as number)) bad(`Error code ${String(e.code)} is not allowed here`);
}

/** Raw inputs: text of every kind, JSON values, message-shaped objects, batches, deep nesting. */
export const inboundTextArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: anyText },
  { weight: 1, arbitrary: fc.json({ maxDepth: 3 }) },
  { weight: 1, arbitrary: jsonValueArb.map((v) => JSON.stringify(v)) },
  { weight: 8, arbitrary: messageLikeArb.map((m) => JSON.stringify(m)) },
  {
    weight: 3,
    arbitrary: fc
      .array(fc.oneof(messageLikeArb, jsonValueArb), { maxLength: 6 })
      .map((b) => JSON.stringify(b)),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 60, max: 70 }), messageLikeArb)
      .map(([depth, m]) => JSON.stringify({ ...m, params: nest(depth, 1) })),
  },
  {
    weight: 1,
    arbitrary: messageLikeArb.map((m) => {
      const t = JSON.stringify(m);
      return t.slice(0, Math.max(0, t.length - 1));
    }),
  },
);
