/**
 * The authorization endpoint of the development server. It approves every valid request at once for
 * the configured user (there is no login or consent page: this is a development tool), after
 * checking the client, the exact redirect URI, PKCE S256, the scopes and the resource.
 */
import { errorPage } from './http.ts';
import { type DevClient, type DevState, randomToken } from './state.ts';

/** Looks up a client: registered, or a Client ID Metadata Document URL. */
export type ClientLookup = (clientId: string) => Promise<DevClient | string | undefined>;

/** Handles GET /authorize. */
export async function authorize(state: DevState, request: Request, lookup: ClientLookup): Promise<Response> {
  const q = new URL(request.url).searchParams;
  for (const key of new Set(q.keys())) {
    if (q.getAll(key).length > 1) return errorPage(400, `the parameter ${key} is repeated`);
  }
  const clientId = q.get('client_id');
  if (!clientId) return errorPage(400, 'client_id is missing');
  const client = await lookup(clientId);
  if (client === undefined) return errorPage(400, `unknown client ${clientId}`);
  if (typeof client === 'string') return errorPage(400, client);
  const redirectUri = q.get('redirect_uri');
  if (!redirectUri || !client.redirect_uris.includes(redirectUri)) {
    return errorPage(400, `redirect_uri ${redirectUri ?? '(missing)'} is not registered for this client`);
  }
  const back = (params: Record<string, string>) => {
    const url = new URL(redirectUri);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    const stateParam = q.get('state');
    if (stateParam !== null) url.searchParams.set('state', stateParam);
    url.searchParams.set('iss', state.issuer);
    return new Response(null, { status: 302, headers: { location: url.href, 'cache-control': 'no-store' } });
  };
  const fail = (error: string, description: string) => back({ error, error_description: description });
  if (q.get('response_type') !== 'code')
    return fail('unsupported_response_type', 'Only response_type=code is supported.');
  if (!client.grant_types.includes('authorization_code')) {
    return fail('unauthorized_client', 'This client is not registered for the authorization_code grant.');
  }
  const challenge = q.get('code_challenge');
  if (!challenge || !/^[A-Za-z0-9_-]{43}$/.test(challenge) || q.get('code_challenge_method') !== 'S256') {
    return fail('invalid_request', 'PKCE is required: send code_challenge with code_challenge_method=S256.');
  }
  const scopes = (q.get('scope') ?? '').split(' ').filter((s) => s !== '');
  const unknown = scopes.filter((s) => !state.scopesSupported.includes(s));
  if (unknown.length > 0) return fail('invalid_scope', `Unknown scopes: ${unknown.join(' ')}.`);
  const resource = q.get('resource') ?? undefined;
  const badResource = resourceProblem(state, resource);
  if (badResource) return fail('invalid_target', badResource);
  const code = randomToken(32);
  state.codes.set(code, {
    clientId: client.client_id,
    redirectUri,
    codeChallenge: challenge,
    scope: scopes.join(' '),
    resource,
    subject: state.subject,
    expiresAt: Date.now() + 60_000,
  });
  return back({ code });
}

/** Why a `resource` value is refused, or undefined when it is acceptable. */
export function resourceProblem(state: DevState, resource: string | undefined): string | undefined {
  if (resource === undefined) return undefined;
  if (!URL.canParse(resource) || resource.includes('#'))
    return `resource ${resource} must be an absolute URI without a fragment.`;
  if (state.resources && !state.resources.includes(resource))
    return `resource ${resource} is not served by this authorization server.`;
  return undefined;
}
