/**
 * The fetch every OAuth request of the client goes through: a deadline for the whole exchange
 * (headers and body), a cap on the body's size, and no redirects followed. The answer is read whole
 * (within the cap) and handed on as a fresh Response, so nothing downstream reads from the network.
 */
import { readAtMost } from '../protocol/index.ts';
import type { OAuthFetch } from './discovery.ts';
import { OAuthFlowError } from './errors.ts';

/** Limits on the OAuth client's own HTTP requests. */
export interface OAuthRequestLimits {
  /** The most time one OAuth request (metadata, registration, token) may take, in ms (default 30,000). */
  timeoutMs?: number;
  /** The largest OAuth response body accepted, in bytes (default 256 KiB). */
  maxResponseBytes?: number;
}

/** The default deadline of one OAuth request. */
export const DEFAULT_OAUTH_TIMEOUT_MS = 30_000;
/** The default cap on an OAuth response body. */
export const DEFAULT_OAUTH_MAX_RESPONSE_BYTES = 256 * 1024;

const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/** Wraps `inner` so that each request has a deadline, a bounded body and `redirect: 'manual'`. */
export function boundedOAuthFetch(inner: OAuthFetch, limits: OAuthRequestLimits = {}): OAuthFetch {
  const timeoutMs = limits.timeoutMs ?? DEFAULT_OAUTH_TIMEOUT_MS;
  const maxBytes = limits.maxResponseBytes ?? DEFAULT_OAUTH_MAX_RESPONSE_BYTES;
  return async (input, init) => {
    const url = new URL(input);
    const where = `${url.origin}${url.pathname}`;
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
    try {
      const response = await inner(input, { ...init, redirect: 'manual', signal });
      if (response.status < 200 || response.status > 599) return response;
      const body = NULL_BODY.has(response.status) ? null : await readBounded(response, maxBytes, where);
      return new Response(body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    } catch (error) {
      if (deadline.aborted && !(error instanceof OAuthFlowError)) {
        throw new OAuthFlowError(
          'timeout',
          `${where} did not answer in full within ${timeoutMs} ms; the OAuth request was abandoned (raise the OAuth timeout if the server is just slow).`,
          { cause: error },
        );
      }
      throw error;
    }
  };
}

/** Reads a response body, refusing it once it passes `maxBytes` (by Content-Length or as it arrives). */
async function readBounded(
  response: Response,
  maxBytes: number,
  where: string,
): Promise<Uint8Array<ArrayBuffer>> {
  const tooLarge = (size: string) =>
    new OAuthFlowError(
      'response_too_large',
      `${where} answered with ${size}, over the ${maxBytes}-byte limit on OAuth responses; refusing it.`,
    );
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge(`a ${declared}-byte body`);
  }
  if (!response.body) return new Uint8Array(0);
  const bytes = await readAtMost(response.body, maxBytes);
  if (bytes === undefined) throw tooLarge(`more than ${maxBytes} bytes`);
  return bytes;
}
