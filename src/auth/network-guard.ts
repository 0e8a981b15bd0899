/**
 * The SSRF guard for URLs learned from the network (metadata, endpoints, client metadata documents):
 * https only (http only on loopback), no credentials in the URL, and no loopback or private address
 * unless the policy allows it. Link-local addresses (169.254.0.0/16, fe80::/10: where cloud metadata
 * services answer) are refused under every policy. Address literals are normalized by the URL parser;
 * host names are checked through `resolveHost` when the runtime offers one (the Node adapter resolves
 * with DNS).
 */
import { OAuthFlowError } from './errors.ts';
import { isLoopbackHost } from './resource-uri.ts';

/** How URLs learned from the network are vetted. */
export interface NetworkPolicy {
  /** Allow loopback and private addresses (never link-local). For servers on a private network. Default false. */
  allowPrivateNetwork?: boolean;
  /** Allow loopback addresses only (local development: an authorization server on this machine). Default false. */
  allowLoopback?: boolean;
  /** Resolves a host name to its addresses, so that names pointing at private addresses are refused too. */
  resolveHost?: (hostname: string) => Promise<string[]>;
}

/**
 * What kind of address an IPv4 or IPv6 literal is: `loopback`, `link-local` (where cloud metadata
 * services answer), `private` (any other non-public range, and text that is no address), or `public`.
 */
export type AddressClass = 'public' | 'loopback' | 'private' | 'link-local';

/** The class of an IPv4 or IPv6 address literal; text that is not an address is `private`. */
export function addressClass(address: string): AddressClass {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (bare.includes(':')) {
    const groups = ipv6Groups(bare);
    return groups === undefined ? 'private' : ipv6Class(groups);
  }
  const octets = ipv4Octets(bare);
  return octets === undefined ? 'private' : ipv4Class(octets);
}

/** Whether an IPv4 or IPv6 address (literal) is loopback, private, link-local or otherwise non-public. */
export function isPrivateAddress(address: string): boolean {
  return addressClass(address) !== 'public';
}

function ipv4Octets(text: string): number[] | undefined {
  let host: string;
  try {
    host = new URL(`http://${text}/`).hostname;
  } catch {
    return undefined;
  }
  const parts = host.split('.').map(Number);
  return parts.length === 4 && parts.every((n) => Number.isInteger(n) && n >= 0 && n <= 255)
    ? parts
    : undefined;
}

function ipv4Class([a, b]: number[]): AddressClass {
  const x = a as number;
  const y = b as number;
  if (x === 127) return 'loopback';
  if (x === 169 && y === 254) return 'link-local';
  const reserved =
    x === 0 ||
    x === 10 ||
    (x === 100 && y >= 64 && y <= 127) ||
    (x === 172 && y >= 16 && y <= 31) ||
    (x === 192 && y === 168) ||
    (x === 192 && y === 0) ||
    (x === 198 && (y === 18 || y === 19)) ||
    x >= 224;
  return reserved ? 'private' : 'public';
}

/** The eight 16-bit groups of an IPv6 address, via the URL parser's canonical form. */
function ipv6Groups(text: string): number[] | undefined {
  let host: string;
  try {
    host = new URL(`http://[${text}]/`).hostname.slice(1, -1);
  } catch {
    return undefined;
  }
  const [head = '', tail] = host.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const fill = tail === undefined ? [] : new Array(8 - left.length - right.length).fill('0');
  const groups = [...left, ...fill, ...right].map((g) => Number.parseInt(g, 16));
  return groups.length === 8 && groups.every((g) => Number.isInteger(g)) ? groups : undefined;
}

function ipv6Class(g: number[]): AddressClass {
  const first = g[0] as number;
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeroUpTo(7) && g[7] === 1) return 'loopback'; // ::1
  if (zeroUpTo(7) && g[7] === 0) return 'private'; // ::
  const embedded = [
    (g[6] as number) >> 8,
    (g[6] as number) & 255,
    (g[7] as number) >> 8,
    (g[7] as number) & 255,
  ];
  if (zeroUpTo(5) && g[5] === 0xffff) return ipv4Class(embedded); // IPv4-mapped
  if (first === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return ipv4Class(embedded);
  if ((first & 0xffc0) === 0xfe80) return 'link-local'; // fe80::/10
  const reserved =
    (first & 0xfe00) === 0xfc00 || // unique local fc00::/7 (fd00:ec2::254 among them)
    (first & 0xff00) === 0xff00 || // multicast
    (first === 0x2001 && g[1] === 0x0db8); // documentation
  return reserved ? 'private' : 'public';
}

function isAddressLiteral(hostname: string): boolean {
  return hostname.startsWith('[') || /^[\d.]+$/.test(hostname) || /^0x/i.test(hostname);
}

/** Whether the policy lets a URL reach an address of this class. */
function allowed(kind: AddressClass, policy: NetworkPolicy): boolean {
  if (kind === 'public') return true;
  if (kind === 'link-local') return false;
  if (policy.allowPrivateNetwork) return true;
  return kind === 'loopback' && policy.allowLoopback === true;
}

/**
 * Throws an OAuthFlowError unless `url` may be fetched: https (or http on a loopback host), no
 * credentials in it, and its address allowed by the policy (link-local never). `what` names the URL
 * in the message.
 */
export async function assertSafeUrl(url: URL, what: string, policy: NetworkPolicy): Promise<void> {
  assertSafeScheme(url, what);
  const refuse = (address: string, kind: AddressClass) =>
    new OAuthFlowError(
      'private_address',
      `Refusing ${what} ${url.href}: ${url.hostname}${address === url.hostname ? '' : ` (${address})`} is a ${kind === 'private' ? 'private or reserved' : kind} address. ${
        kind === 'link-local'
          ? 'Link-local addresses (cloud metadata services) are never used for OAuth.'
          : kind === 'loopback'
            ? 'Set allowLoopback: true to allow it (local development only).'
            : 'Set allowPrivateNetwork: true to allow it (servers on a private network only).'
      }`,
    );
  if (isLoopbackHost(url.hostname)) {
    if (!allowed('loopback', policy)) throw refuse(url.hostname, 'loopback');
    return;
  }
  if (isAddressLiteral(url.hostname)) {
    const kind = addressClass(url.hostname);
    if (!allowed(kind, policy)) throw refuse(url.hostname, kind);
    return;
  }
  if (!policy.resolveHost) return;
  for (const address of await policy.resolveHost(url.hostname)) {
    const kind = addressClass(address);
    if (!allowed(kind, policy)) throw refuse(address, kind);
  }
}

/** Throws an OAuthFlowError unless `url` uses https (or http on a loopback host) and carries no credentials. */
export function assertSafeScheme(url: URL, what: string): void {
  if (url.username !== '' || url.password !== '') {
    throw new OAuthFlowError(
      'unsafe_url',
      `Refusing ${what} ${url.protocol}//${url.host}${url.pathname}: it carries credentials (user:password@), which OAuth URLs never do.`,
    );
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new OAuthFlowError(
      'unsafe_url',
      `Refusing ${what} ${url.href}: it must use https (plain http is accepted only on localhost).`,
    );
  }
}
