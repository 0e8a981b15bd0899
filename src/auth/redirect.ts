/**
 * What comes back to the redirect URI, apart from the flow that sent the user there: mcpkit/node's
 * loopback redirect builds on this without loading the OAuth client (oauth4webapi).
 */

/** What the user agent brings back from the redirect URI. */
export interface AuthorizationResult {
  code?: string;
  state?: string;
  iss?: string;
  error?: string;
  errorDescription?: string;
}

/** The user agent step: show `authorizationUrl`, resolve what arrives at the redirect URI. */
export type AuthorizationRedirect = (authorizationUrl: URL) => Promise<AuthorizationResult>;

/** Reads an AuthorizationResult from the query of a redirect URI. */
export function authorizationResultFrom(params: URLSearchParams): AuthorizationResult {
  const result: AuthorizationResult = {};
  const set = (key: keyof AuthorizationResult, name: string) => {
    const value = params.get(name);
    if (value !== null) result[key] = value;
  };
  set('code', 'code');
  set('state', 'state');
  set('iss', 'iss');
  set('error', 'error');
  set('errorDescription', 'error_description');
  return result;
}
