/**
 * The inspector's gate: every request must name the session token in its path, come to a loopback
 * Host of this very port (no DNS rebinding), and, when a browser says where it comes from, come
 * from the inspector's own origin. Requests that change anything must also be JSON from that origin.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** A new session token: 128 random bits, as 32 hex digits. */
export function newSessionToken(): string {
  return randomBytes(16).toString('hex');
}

/** Why a request was refused: the HTTP status and a message that says what to do. */
export interface Refusal {
  status: number;
  message: string;
}

/** True when `given` is the token (compared in constant time). */
export function tokenMatches(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The origins the inspector's page is served from, on `port`. */
export function allowedOrigins(port: number): string[] {
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
}

/**
 * Checks Host, Origin and Sec-Fetch-Site; `mutating` requests (POST) must also carry the page's
 * Origin and a JSON body. Returns undefined when the request may go on.
 */
export function refusalOf(req: IncomingMessage, port: number, mutating: boolean): Refusal | undefined {
  const host = req.headers.host ?? '';
  if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
    return {
      status: 421,
      message: `The inspector answers only at http://127.0.0.1:${port}/ (Host '${host}' refused).`,
    };
  }
  const origin = req.headers.origin;
  const origins = allowedOrigins(port);
  if (origin !== undefined && !origins.includes(origin)) {
    return { status: 403, message: `Requests from the origin '${origin}' are refused.` };
  }
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    return { status: 403, message: `Cross-site requests (Sec-Fetch-Site: ${site}) are refused.` };
  }
  if (mutating) {
    if (origin === undefined) {
      return { status: 403, message: 'A request that changes anything must carry the Origin header.' };
    }
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json') {
      return { status: 415, message: 'Send the request body as application/json.' };
    }
  }
  return undefined;
}

/** Headers on every answer: no caching, no framing, no referrer, nothing loaded from elsewhere. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'cross-origin-resource-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; media-src data:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
};
