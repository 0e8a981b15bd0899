/**
 * A user agent for authorization servers that approve without a user (test servers, the conformance
 * suite's mocks, auto-approving development servers): it requests the authorization URL without
 * following the redirect, and reads the response parameters from `Location`.
 */
import { type AuthorizationRedirect, authorizationResultFrom } from './authorization.ts';
import type { OAuthFetch } from './discovery.ts';
import { OAuthFlowError } from './errors.ts';
import { DEFAULT_OAUTH_TIMEOUT_MS } from './oauth-fetch.ts';

/** Options of `headlessRedirect`. */
export interface HeadlessRedirectOptions {
  /** The fetch to use (default: the global fetch). */
  fetch?: OAuthFetch;
  /** Redirects followed within the authorization server's own origin before giving up (default 5). */
  maxHops?: number;
  /** The deadline of each request, in ms (default 30,000). */
  timeoutMs?: number;
}

/** An AuthorizationRedirect that needs no browser (only for servers that approve without a user). */
export function headlessRedirect(options: HeadlessRedirectOptions = {}): AuthorizationRedirect {
  const fetchImpl: OAuthFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const maxHops = options.maxHops ?? 5;
  return async (authorizationUrl) => {
    let url = authorizationUrl;
    for (let hop = 0; hop <= maxHops; hop++) {
      const timeoutMs = options.timeoutMs ?? DEFAULT_OAUTH_TIMEOUT_MS;
      const response = await fetchImpl(url, {
        method: 'GET',
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      }).catch((error: unknown) => {
        if (!(error instanceof Error && error.name === 'TimeoutError')) throw error;
        throw new OAuthFlowError(
          'timeout',
          `The authorization endpoint ${url.origin}${url.pathname} did not answer within ${timeoutMs} ms.`,
          { cause: error },
        );
      });
      await response.body?.cancel().catch(() => {});
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || location === null) {
        throw new OAuthFlowError(
          'authorization_failed',
          `The authorization endpoint ${url.origin}${url.pathname} answered HTTP ${response.status} instead of redirecting; it needs a user, so use a browser-based redirect.`,
        );
      }
      const next = new URL(location, url);
      const params = next.searchParams;
      if (next.origin !== authorizationUrl.origin || params.has('code') || params.has('error')) {
        return authorizationResultFrom(params);
      }
      url = next;
    }
    throw new OAuthFlowError(
      'authorization_failed',
      `The authorization endpoint redirected more than ${maxHops} times.`,
    );
  };
}
