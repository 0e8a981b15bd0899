/**
 * DNS-rebinding protection: the Host header must name an allowed host, and an Origin header, when
 * present, must name an allowed origin. Both checks run before the body is read.
 */
import { errorReply, TRANSPORT_ERROR } from './reply.ts';

/** The hosts allowed by default: the loopback names, on any port. */
export const DEFAULT_ALLOWED_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

/** Which hosts and origins may reach the handler. */
export interface OriginPolicy {
  /** Allowed Host values: a bare name matches any port, `name:port` only that port; false: no check. */
  allowedHosts: readonly string[] | false;
  /**
   * Allowed Origin values (`scheme://host[:port]`, or `*`); false: no check. Undefined: an origin is
   * allowed when it is the request's own origin or its host name is an allowed host.
   */
  allowedOrigins: readonly string[] | false | undefined;
}

/** Splits `host[:port]` into its lowercase name (IPv6 keeps its brackets) and port. */
export function splitHost(value: string): { name: string; port: string | undefined } {
  const v = value.trim().toLowerCase();
  if (v.startsWith('[')) {
    const end = v.indexOf(']');
    if (end < 0) return { name: v, port: undefined };
    const rest = v.slice(end + 1);
    return { name: v.slice(0, end + 1), port: rest.startsWith(':') ? rest.slice(1) : undefined };
  }
  const colon = v.lastIndexOf(':');
  if (colon >= 0 && v.indexOf(':') === colon) return { name: v.slice(0, colon), port: v.slice(colon + 1) };
  return { name: v, port: undefined };
}

function hostAllowed(host: string, allowed: readonly string[]): boolean {
  const { name, port } = splitHost(host);
  const full = port === undefined ? name : `${name}:${port}`;
  for (const entry of allowed) {
    const e = entry.trim().toLowerCase();
    if (e === '*' || e === name || e === full) return true;
  }
  return false;
}

function originAllowed(origin: string, requestHost: string, policy: OriginPolicy): boolean {
  if (policy.allowedOrigins === false) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (policy.allowedOrigins)
    return policy.allowedOrigins.some((o) => o === '*' || normalizeOrigin(o) === url.origin);
  if (url.host === requestHost.trim().toLowerCase()) return true;
  return policy.allowedHosts !== false && hostAllowed(url.host, policy.allowedHosts);
}

function normalizeOrigin(origin: string): string | undefined {
  try {
    return new URL(origin).origin;
  } catch {
    return undefined;
  }
}

/** Whether the authority of an absolute URL is exactly `host` (the usual case; nothing is copied). */
function urlNamesHost(url: string, host: string): boolean {
  const start = url.indexOf('//') + 2;
  return url.startsWith(host, start) && url.charCodeAt(start + host.length) === 47; // '/'
}

/** The authority of an absolute URL (`host[:port]`, with userinfo if any), read without parsing it. */
function authorityOf(url: string): string {
  const start = url.indexOf('//') + 2;
  const end = url.indexOf('/', start);
  return end < 0 ? url.slice(start) : url.slice(start, end);
}

/**
 * Checks Host and Origin: 400 for more than one Host header (RFC 9112 §3.2; repeats arrive joined
 * with a comma, which no host name has), 403 when the Host or the authority of an absolute-form
 * request target is not allowed, or the Origin is not; else undefined.
 */
export function checkHostAndOrigin(request: Request, policy: OriginPolicy): Response | undefined {
  const url = request.url;
  const host = request.headers.get('host') ?? authorityOf(url);
  if (host.includes(',')) {
    return errorReply(
      400,
      TRANSPORT_ERROR,
      `Bad Request: more than one Host header ('${host}'); send exactly one (RFC 9112 section 3.2).`,
    );
  }
  if (policy.allowedHosts !== false) {
    let refused = hostAllowed(host, policy.allowedHosts) ? undefined : `Invalid Host header '${host}'`;
    if (refused === undefined && !urlNamesHost(url, host)) {
      const target = authorityOf(url);
      if (!hostAllowed(target, policy.allowedHosts))
        refused = `Invalid host '${target}' in the request target`;
    }
    if (refused !== undefined) {
      return errorReply(
        403,
        TRANSPORT_ERROR,
        `${refused}: this server answers only to ${policy.allowedHosts.join(', ')}. ` +
          'To serve it under another name, add that name to the allowedHosts option ' +
          '(or set allowedHosts: false when a proxy in front of it checks the host).',
      );
    }
  }
  const origin = request.headers.get('origin');
  if (origin !== null && !originAllowed(origin, host, policy)) {
    return errorReply(
      403,
      TRANSPORT_ERROR,
      `Invalid Origin header '${origin}': requests from this origin are refused. ` +
        'To accept it, add it to the allowedOrigins option.',
    );
  }
  return undefined;
}
