/** The client side of DPoP (RFC 9449): a key pair, and resource requests with a fresh proof each. */
import * as oauth from 'oauth4webapi';
import type { OAuthFetch } from './discovery.ts';

/** Creates the DPoP handle (proof signer and nonce cache) for a key pair, generating ES256 keys if none is given. */
export async function createDpopHandle(keyPair?: CryptoKeyPair): Promise<oauth.DPoPHandle> {
  const keys = keyPair ?? (await oauth.generateKeyPair('ES256'));
  return oauth.DPoP({}, keys);
}

/**
 * Sends one request with `Authorization: DPoP <token>` and a proof bound to the method, URL and
 * token; retries once when the server asks for a nonce. Other challenges come back as responses.
 */
export async function dpopFetch(
  handle: oauth.DPoPHandle,
  accessToken: string,
  inner: OAuthFetch,
  input: string | URL,
  init: RequestInit = {},
): Promise<Response> {
  const url = new URL(String(input));
  const method = (init.method ?? 'GET').toUpperCase();
  for (let attempt = 0; ; attempt++) {
    const headers = new Headers(init.headers);
    headers.delete('authorization');
    try {
      return await oauth.protectedResourceRequest(
        accessToken,
        method,
        url,
        headers,
        init.body as oauth.ProtectedResourceRequestBody,
        {
          DPoP: handle,
          [oauth.customFetch]: (u: string, i: object) => inner(u, { ...init, ...(i as RequestInit) }),
          [oauth.allowInsecureRequests]: true,
          ...(init.signal ? { signal: init.signal } : {}),
        },
      );
    } catch (error) {
      if (error instanceof oauth.WWWAuthenticateChallengeError) {
        if (attempt === 0 && oauth.isDPoPNonceError(error)) continue;
        return error.response;
      }
      throw error;
    }
  }
}
