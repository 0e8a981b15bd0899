/** Request parsing, responses and client authentication for the development authorization server. */
import type { DevClient } from './state.ts';

/** Headers on every token-bearing answer. */
export const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

/** Lets browser-based clients call the public endpoints. */
export const CORS = { 'access-control-allow-origin': '*' };

/** A JSON answer that must not be cached. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { ...NO_STORE, ...CORS, ...headers } });
}

/** An OAuth error answer (RFC 6749 §5.2). */
export function oauthError(
  status: number,
  error: string,
  description: string,
  headers: Record<string, string> = {},
): Response {
  return json({ error, error_description: description }, status, headers);
}

/** A plain-text error page, for authorization requests that cannot be redirected. */
export function errorPage(status: number, message: string): Response {
  return new Response(`Authorization error: ${message}\n`, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', ...NO_STORE },
  });
}

/** The form-encoded body of a POST, or an error answer. */
export async function readForm(request: Request): Promise<URLSearchParams | Response> {
  const type = request.headers.get('content-type') ?? '';
  if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    return oauthError(400, 'invalid_request', 'The body must be application/x-www-form-urlencoded.');
  }
  const text = await request.text();
  if (text.length > 64 * 1024) return oauthError(400, 'invalid_request', 'The body is too large.');
  const form = new URLSearchParams(text);
  for (const key of new Set(form.keys())) {
    if (form.getAll(key).length > 1)
      return oauthError(400, 'invalid_request', `The parameter ${key} is repeated.`);
  }
  return form;
}

async function sameSecret(a: string, b: string): Promise<boolean> {
  const digest = async (s: string) =>
    new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(s)));
  const [x, y] = await Promise.all([digest(a), digest(b)]);
  return x.every((v, i) => v === y[i]);
}

/**
 * Authenticates the client of a token or introspection request (HTTP Basic, secret in the body, or
 * a public client's bare `client_id`); resolves the client, or the 401 answer.
 */
export async function authenticateClient(
  request: Request,
  form: URLSearchParams,
  lookup: (clientId: string) => Promise<DevClient | undefined>,
): Promise<DevClient | Response> {
  const invalid = (why: string) =>
    oauthError(401, 'invalid_client', why, { 'www-authenticate': 'Basic realm="token"' });
  let id = form.get('client_id');
  let secret = form.get('client_secret');
  const header = request.headers.get('authorization');
  if (header?.toLowerCase().startsWith('basic ')) {
    if (secret !== null) return invalid('Use one client authentication method, not two.');
    let decoded: string;
    try {
      decoded = atob(header.slice(6).trim());
    } catch {
      return invalid('The Basic credentials are not valid base64.');
    }
    const colon = decoded.indexOf(':');
    if (colon < 0) return invalid('The Basic credentials have no colon.');
    const decode = (s: string) => new URLSearchParams(`v=${s}`).get('v') ?? '';
    const basicId = decode(decoded.slice(0, colon));
    if (id !== null && id !== basicId) return invalid('client_id differs from the Basic credentials.');
    id = basicId;
    secret = decode(decoded.slice(colon + 1));
  }
  if (!id) return invalid('The client is not identified (no client_id, no Basic credentials).');
  const client = await lookup(id);
  if (!client) return invalid(`Unknown client ${id}.`);
  if (client.token_endpoint_auth_method === 'none') {
    if (secret !== null) return invalid('This client is public; it has no secret.');
    return client;
  }
  if (
    secret === null ||
    client.client_secret === undefined ||
    !(await sameSecret(secret, client.client_secret))
  ) {
    return invalid('The client secret is missing or wrong.');
  }
  return client;
}
