/**
 * `requestState` for Multi Round-Trip Requests: the answers gathered so far, bound to the method, a
 * digest of the request's parameters, the principal and an expiry, and signed with HMAC-SHA-256 so
 * that a client cannot alter it (mrtr page, "Server Requirements"). Web Crypto only.
 */
import { ErrorCode, McpError } from '../protocol/index.ts';

/** What a state carries. */
export interface StatePayload {
  /** Answers gathered in earlier rounds, by input key. */
  answers: Record<string, unknown>;
  /** The method of the originating request. */
  method: string;
  /** Digest of the request's salient parameters. */
  digest: string;
  /** The principal the state was issued to ('' when unauthenticated). */
  principal: string;
  /** Expiry, ms since the epoch. */
  expires: number;
}

const encoder = new TextEncoder();

function toBase64Url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  try {
    const s = atob(b64);
    const out = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    return out;
  } catch {
    return undefined;
  }
}

/** JSON with object keys sorted, so equal values give equal text whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value as object).sort();
    return `{${keys
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The digest of a request's params, leaving out `_meta`, `inputResponses` and `requestState`. */
export async function paramsDigest(params: Record<string, unknown> | undefined): Promise<string> {
  const { _meta: _m, inputResponses: _i, requestState: _s, ...rest } = params ?? {};
  const hash = await crypto.subtle.digest('SHA-256', encoder.encode(canonicalJson(rest)));
  return toBase64Url(new Uint8Array(hash));
}

/** Signs and verifies request states with one secret. */
export class RequestStateCodec {
  readonly #secret: Uint8Array | undefined;
  #key: Promise<CryptoKey> | undefined;
  /** How long a state stays valid, ms. */
  readonly ttlMs: number;

  /**
   * `secret` must be shared by every node that may receive the retry; a random one is made if absent.
   * Nothing is drawn or imported here (Workers forbid random values at start-up): the key is made at
   * the first seal or open.
   */
  constructor(secret?: string | Uint8Array, ttlMs = 10 * 60_000) {
    this.#secret = typeof secret === 'string' ? encoder.encode(secret) : secret;
    this.ttlMs = ttlMs;
  }

  /** The HMAC key, imported once at first use. */
  #hmacKey(): Promise<CryptoKey> {
    this.#key ??= crypto.subtle.importKey(
      'raw',
      (this.#secret ?? crypto.getRandomValues(new Uint8Array(32))) as BufferSource,
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    );
    return this.#key;
  }

  /** Encodes and signs a payload. */
  async seal(payload: StatePayload): Promise<string> {
    const body = toBase64Url(encoder.encode(JSON.stringify(payload)));
    const sig = await crypto.subtle.sign('HMAC', await this.#hmacKey(), encoder.encode(body));
    return `${body}.${toBase64Url(new Uint8Array(sig))}`;
  }

  /**
   * Verifies a state against the request it came back on; throws -32602 when it was altered, has
   * expired, or belongs to another request or principal.
   */
  async open(state: unknown, method: string, digest: string, principal: string): Promise<StatePayload> {
    const fail = (why: string) =>
      new McpError(
        ErrorCode.InvalidParams,
        `requestState rejected: ${why}. Start the request again without it.`,
      );
    if (typeof state !== 'string') throw fail('it must be the string the server sent');
    const dot = state.indexOf('.');
    const sig = dot < 0 ? undefined : fromBase64Url(state.slice(dot + 1));
    // Only the canonical spelling of the signature is accepted (no other trailing bits).
    if (dot < 0 || !sig || toBase64Url(sig) !== state.slice(dot + 1)) throw fail('it failed verification');
    const body = state.slice(0, dot);
    const ok = await crypto.subtle.verify(
      'HMAC',
      await this.#hmacKey(),
      sig as BufferSource,
      encoder.encode(body),
    );
    if (!ok) throw fail('it failed verification');
    let payload: StatePayload;
    try {
      payload = JSON.parse(new TextDecoder().decode(fromBase64Url(body))) as StatePayload;
    } catch {
      throw fail('it failed verification');
    }
    if (payload.expires < Date.now()) throw fail('it has expired');
    if (payload.method !== method || payload.digest !== digest)
      throw fail('it belongs to a different request');
    if (payload.principal !== principal) throw fail('it was issued to a different principal');
    return payload;
  }
}
