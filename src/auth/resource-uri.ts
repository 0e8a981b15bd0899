/**
 * Resource identifiers (RFC 8707 §2, RFC 9728 §3) and the well-known URLs built from them: Protected
 * Resource Metadata and authorization server metadata (RFC 8414 §3.1, OpenID Connect Discovery).
 */

const PRM_WELL_KNOWN = '/.well-known/oauth-protected-resource';

/**
 * The canonical URI of an MCP server: absolute http(s), lowercase scheme and host, no fragment, no
 * query, and no trailing slash on a bare origin. Throws a TypeError naming the problem.
 */
export function canonicalResourceUri(input: string | URL): string {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new TypeError(`The resource URI ${String(input)} is not an absolute URI.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError(`The resource URI ${String(input)} must use https (or http on localhost).`);
  }
  if (url.hash !== '' || String(input).includes('#')) {
    throw new TypeError(`The resource URI ${String(input)} must not contain a fragment.`);
  }
  // An empty query ('?' alone) leaves `search` empty but stays in `href`.
  if (url.search !== '' || url.href.includes('?')) {
    throw new TypeError(`The resource URI ${String(input)} must not contain a query.`);
  }
  const text = url.href;
  return url.pathname === '/' ? text.slice(0, -1) : text;
}

/** The path of the Protected Resource Metadata of `resource`: the well-known prefix, then its path. */
export function protectedResourceMetadataPath(resource: string | URL): string {
  const path = new URL(resource).pathname;
  return path === '/' ? PRM_WELL_KNOWN : `${PRM_WELL_KNOWN}${path.replace(/\/$/, '')}`;
}

/** Where a client looks for Protected Resource Metadata when no challenge names it: path-specific, then root. */
export function protectedResourceMetadataUrls(serverUrl: URL): URL[] {
  const specific = new URL(protectedResourceMetadataPath(serverUrl), serverUrl.origin);
  const root = new URL(PRM_WELL_KNOWN, serverUrl.origin);
  return specific.href === root.href ? [root] : [specific, root];
}

/**
 * Whether the `resource` of some metadata covers the MCP server at `serverUrl`: the same origin,
 * and a path equal to the server's or a parent of it on a segment boundary.
 */
export function resourceCovers(resource: string, serverUrl: URL): boolean {
  let url: URL;
  try {
    url = new URL(resource);
  } catch {
    return false;
  }
  if (url.hash !== '' || url.origin !== serverUrl.origin) return false;
  const base = url.pathname.replace(/\/$/, '');
  const path = serverUrl.pathname.replace(/\/$/, '');
  return base === '' || path === base || path.startsWith(`${base}/`);
}

/**
 * Whether Protected Resource Metadata fetched from `metadataUrl` may name `resource` for the MCP
 * server at `serverUrl` (RFC 9728 §3.3): the resource is the server's own canonical URI, or it is the
 * identifier whose well-known URL the metadata was fetched from (the root document names the
 * origin) and covers the server. With `allowParent`, any covering parent path is accepted too.
 */
export function resourceMatches(
  resource: string,
  serverUrl: URL,
  metadataUrl: URL,
  allowParent = false,
): boolean {
  let canonical: string;
  try {
    canonical = canonicalResourceUri(resource);
  } catch {
    return false;
  }
  if (canonical === canonicalResourceUri(`${serverUrl.origin}${serverUrl.pathname}`)) return true;
  if (!resourceCovers(resource, serverUrl)) return false;
  if (allowParent) return true;
  const wellKnown = new URL(protectedResourceMetadataPath(resource), serverUrl.origin);
  return wellKnown.href === metadataUrl.href;
}

/** The metadata URLs of an authorization server, in the order MCP clients try them. */
export function authorizationServerMetadataUrls(issuer: string): URL[] {
  const url = new URL(issuer);
  const path = url.pathname.replace(/\/$/, '');
  const at = (p: string) => new URL(p, url.origin);
  if (path === '') {
    return [at('/.well-known/oauth-authorization-server'), at('/.well-known/openid-configuration')];
  }
  return [
    at(`/.well-known/oauth-authorization-server${path}`),
    at(`/.well-known/openid-configuration${path}`),
    at(`${path}/.well-known/openid-configuration`),
  ];
}

/** True for hosts that name this machine: localhost (and *.localhost), 127.0.0.0/8, [::1]. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    /^127\.\d+\.\d+\.\d+$/.test(host) ||
    host === '[::1]' ||
    host === '::1'
  );
}

/** Why a redirect URI is unsafe, or undefined when it is fine (https, loopback http, or a private-use scheme for native apps). */
export function redirectUriProblem(value: unknown, applicationType: string): string | undefined {
  if (typeof value !== 'string' || !URL.canParse(value))
    return `${JSON.stringify(value)} is not an absolute URI`;
  const url = new URL(value);
  if (url.hash !== '' || value.includes('#')) return `${value} must not contain a fragment`;
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:')
    return isLoopbackHost(url.hostname)
      ? undefined
      : `${value} must use https (plain http only on localhost)`;
  if (/^(javascript|data|file|vbscript|about|blob):$/.test(url.protocol))
    return `${value} uses a forbidden scheme`;
  return applicationType === 'native' && url.protocol.includes('.')
    ? undefined
    : `${value} must use https, loopback http, or (native apps) a reverse-domain private-use scheme`;
}
