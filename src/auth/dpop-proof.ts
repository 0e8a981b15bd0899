/** Checking DPoP proofs (RFC 9449 §4.3) on the receiving side: resource servers and the dev AS. */
import {
  base64url,
  calculateJwkThumbprint,
  decodeProtectedHeader,
  importJWK,
  type JWK,
  jwtVerify,
} from 'jose';

/** DPoP signature algorithms accepted (asymmetric only). */
export const DPOP_ALGORITHMS = ['ES256', 'ES384', 'ES512', 'RS256', 'PS256', 'EdDSA', 'Ed25519'];

/** What the proof must match. */
export interface DpopExpectation {
  /** The HTTP method of the request. */
  method: string;
  /** The request URL (query and fragment are ignored). */
  url: string;
  /** The access token the proof must be bound to (`ath`), for resource requests. */
  accessToken?: string;
  /** The nonce the server requires, if any. */
  nonce?: string;
}

/** A DPoP proof was missing, malformed, or did not match; `nonce` is set when a fresh nonce is needed. */
export class DpopProofError extends Error {
  /** True when the proof lacked the server's current nonce (`use_dpop_nonce`). */
  readonly useNonce: boolean;
  constructor(message: string, useNonce = false) {
    super(message);
    this.name = 'DpopProofError';
    this.useNonce = useNonce;
  }
}

/** Checks DPoP proofs and remembers their `jti` for a while to refuse replays. */
export class DpopVerifier {
  readonly #seen = new Map<string, number>();
  readonly #maxAgeSec: number;

  constructor(options: { maxAgeSec?: number } = {}) {
    this.#maxAgeSec = options.maxAgeSec ?? 300;
  }

  /** Verifies `proof`; resolves the JWK SHA-256 thumbprint of its key (`jkt`). */
  async verify(proof: string | null, expected: DpopExpectation): Promise<string> {
    if (!proof || proof.includes(',')) throw new DpopProofError('Exactly one DPoP proof header is required.');
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(proof);
    } catch {
      throw new DpopProofError('The DPoP proof is not a well-formed JWT.');
    }
    const jwk = header.jwk as JWK | undefined;
    if (header.typ !== 'dpop+jwt') throw new DpopProofError('The DPoP proof must have typ "dpop+jwt".');
    if (!header.alg || !DPOP_ALGORITHMS.includes(header.alg)) {
      throw new DpopProofError('The DPoP proof must use an asymmetric signature algorithm.');
    }
    if (!jwk || 'd' in jwk) throw new DpopProofError('The DPoP proof must carry its public key (jwk) only.');
    let payload: Record<string, unknown>;
    try {
      const key = await importJWK(jwk, header.alg);
      ({ payload } = await jwtVerify(proof, key, { typ: 'dpop+jwt', algorithms: DPOP_ALGORITHMS }));
    } catch {
      throw new DpopProofError('The DPoP proof signature does not verify.');
    }
    await this.#checkClaims(payload, expected);
    return calculateJwkThumbprint(jwk, 'sha256');
  }

  async #checkClaims(p: Record<string, unknown>, expected: DpopExpectation): Promise<void> {
    const now = Math.floor(Date.now() / 1000);
    if (typeof p.jti !== 'string' || p.jti === '') throw new DpopProofError('The DPoP proof lacks a jti.');
    if (p.htm !== expected.method)
      throw new DpopProofError(`The DPoP proof's htm must be ${expected.method}.`);
    if (typeof p.htu !== 'string' || stripQuery(p.htu) !== stripQuery(expected.url)) {
      throw new DpopProofError(`The DPoP proof's htu must be ${stripQuery(expected.url)}.`);
    }
    if (typeof p.iat !== 'number' || Math.abs(now - p.iat) > this.#maxAgeSec) {
      throw new DpopProofError('The DPoP proof was issued too long ago (or in the future).');
    }
    if (expected.accessToken !== undefined) {
      const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(expected.accessToken));
      if (p.ath !== base64url.encode(new Uint8Array(digest))) {
        throw new DpopProofError('The DPoP proof is not bound to this access token (ath).');
      }
    }
    if (expected.nonce !== undefined && p.nonce !== expected.nonce) {
      throw new DpopProofError('A DPoP nonce is required.', true);
    }
    this.#forgetOld(now);
    if (this.#seen.has(p.jti)) throw new DpopProofError('The DPoP proof was already used (replayed jti).');
    this.#seen.set(p.jti, now + this.#maxAgeSec);
  }

  #forgetOld(now: number): void {
    for (const [jti, until] of this.#seen) {
      if (until >= now && this.#seen.size < 100_000) break;
      this.#seen.delete(jti);
    }
  }
}

function stripQuery(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return url;
  }
}
