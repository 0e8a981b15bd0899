/**
 * Client ID Metadata Documents on the authorization server side: a `client_id` that is an https URL
 * is fetched (through the SSRF guard, without following redirects), validated, and cached as HTTP
 * caching allows.
 */
import { assertSafeUrl } from '../network-guard.ts';
import { redirectUriUserinfo } from './register.ts';
import type { DevClient, DevState } from './state.ts';

const MAX_BYTES = 64 * 1024;
const cache = new WeakMap<DevState, Map<string, { client: DevClient; until: number }>>();

/** Whether a client id names a metadata document (an http(s) URL with a path). */
export function isMetadataClientId(clientId: string): boolean {
  return /^https?:\/\/[^/]+\/./.test(clientId);
}

/** Fetches and validates the document of a URL client id; resolves the client, or a message saying what is wrong. */
export async function loadClientMetadata(state: DevState, clientId: string): Promise<DevClient | string> {
  const entries = cache.get(state) ?? new Map<string, { client: DevClient; until: number }>();
  cache.set(state, entries);
  const hit = entries.get(clientId);
  if (hit && hit.until > Date.now()) return hit.client;
  const url = new URL(clientId);
  if (url.protocol !== 'https:' && !(state.allowPrivateClientMetadata && url.protocol === 'http:')) {
    return `the client metadata URL ${clientId} must use https`;
  }
  if (url.hash !== '' || url.username !== '' || url.password !== '') {
    return `the client metadata URL ${clientId} must not carry a fragment or credentials`;
  }
  try {
    await assertSafeUrl(url, 'the client metadata document', {
      allowPrivateNetwork: state.allowPrivateClientMetadata,
      resolveHost: state.resolveHost,
    });
  } catch (error) {
    return (error as Error).message;
  }
  let response: Response;
  try {
    response = await state.fetch(url, {
      headers: { accept: 'application/json' },
      redirect: 'manual',
      signal: AbortSignal.timeout(5000),
    });
  } catch (error) {
    return `the client metadata document ${clientId} could not be fetched: ${(error as Error).message}`;
  }
  if (response.status !== 200)
    return `the client metadata document ${clientId} answered HTTP ${response.status}`;
  const text = await response.text();
  if (text.length > MAX_BYTES)
    return `the client metadata document ${clientId} is larger than ${MAX_BYTES} bytes`;
  const checked = validate(text, clientId);
  if (typeof checked === 'string') return checked;
  const maxAge = /max-age=(\d+)/.exec(response.headers.get('cache-control') ?? '')?.[1];
  const noStore = /no-store|no-cache/.test(response.headers.get('cache-control') ?? '');
  const ttl = noStore ? 0 : Math.min(Number(maxAge ?? 300), 86_400) * 1000;
  if (ttl > 0) entries.set(clientId, { client: checked, until: Date.now() + ttl });
  return checked;
}

function validate(text: string, clientId: string): DevClient | string {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return `the client metadata document ${clientId} is not JSON`;
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    return `the client metadata document ${clientId} is not a JSON object`;
  const d = doc as Record<string, unknown>;
  if (d.client_id !== clientId)
    return `the client metadata document's client_id ${JSON.stringify(d.client_id)} is not its URL ${clientId}`;
  if (typeof d.client_name !== 'string' || d.client_name === '')
    return `the client metadata document ${clientId} has no client_name`;
  const uris = d.redirect_uris;
  if (
    !Array.isArray(uris) ||
    uris.length === 0 ||
    !uris.every((u) => typeof u === 'string' && URL.canParse(u))
  ) {
    return `the client metadata document ${clientId} must list redirect_uris (absolute URIs)`;
  }
  const userinfo = uris.find((u) => redirectUriUserinfo(u) !== undefined);
  if (userinfo !== undefined) {
    return `the client metadata document ${clientId} lists a redirect URI with a user name or password; list it without them`;
  }
  const method = d.token_endpoint_auth_method ?? 'none';
  if (method !== 'none') {
    return `the client metadata document ${clientId} asks for ${String(method)}; this server accepts only "none" for metadata-document clients`;
  }
  if ('client_secret' in d) return `a client metadata document must not contain a client_secret`;
  return {
    ...d,
    client_id: clientId,
    client_name: d.client_name,
    redirect_uris: uris as string[],
    grant_types: Array.isArray(d.grant_types) ? (d.grant_types as string[]) : ['authorization_code'],
    token_endpoint_auth_method: 'none',
  };
}
