/**
 * The SSRF guard for URLs learned from the network (metadata, endpoints, client metadata documents):
 * https only (http only on loopback), and no private, loopback or link-local address unless the
 * caller allows private networks. Address literals are normalized by the URL parser; host names are
 * checked through `resolveHost` when the runtime offers one (the Node adapter resolves with DNS).
 */
import { OAuthFlowError } from './errors.ts';
import { isLoopbackHost } from './resource-uri.ts';

/** How URLs learned from the network are vetted. */
export interface NetworkPolicy {
  /** Allow loopback, private and link-local addresses (local development, tests). Default false. */
  allowPrivateNetwork?: boolean;
  /** Resolves a host name to its addresses, so that names pointing at private addresses are refused too. */
  resolveHost?: (hostname: string) => Promise<string[]>;
}

/** Whether an IPv4 or IPv6 address (literal) is loopback, private, link-local or otherwise non-public. */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (bare.includes(':')) {
    const groups = ipv6Groups(bare);
    return groups === undefined || privateIpv6(groups);
  }
  const octets = ipv4Octets(bare);
  return octets === undefined || privateIpv4(octets);
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

function privateIpv4([a, b]: number[]): boolean {
  const x = a as number;
  const y = b as number;
  return (
    x === 0 ||
    x === 10 ||
    x === 127 ||
    (x === 100 && y >= 64 && y <= 127) ||
    (x === 169 && y === 254) ||
    (x === 172 && y >= 16 && y <= 31) ||
    (x === 192 && y === 168) ||
    (x === 192 && y === 0) ||
    (x === 198 && (y === 18 || y === 19)) ||
    x >= 224
  );
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

function privateIpv6(g: number[]): boolean {
  const first = g[0] as number;
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeroUpTo(7) && (g[7] === 0 || g[7] === 1)) return true; // :: and ::1
  const embedded = [
    (g[6] as number) >> 8,
    (g[6] as number) & 255,
    (g[7] as number) >> 8,
    (g[7] as number) & 255,
  ];
  if (zeroUpTo(5) && g[5] === 0xffff) return privateIpv4(embedded); // IPv4-mapped
  if (first === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return privateIpv4(embedded);
  return (
    (first & 0xfe00) === 0xfc00 || // unique local fc00::/7
    (first & 0xffc0) === 0xfe80 || // link-local fe80::/10
    (first & 0xff00) === 0xff00 || // multicast
    (first === 0x2001 && g[1] === 0x0db8) // documentation
  );
}

function isAddressLiteral(hostname: string): boolean {
  return hostname.startsWith('[') || /^[\d.]+$/.test(hostname) || /^0x/i.test(hostname);
}

/**
 * Throws an OAuthFlowError unless `url` may be fetched: https (or http on a loopback host), and not
 * at a private address unless the policy allows it. `what` names the URL in the message.
 */
export async function assertSafeUrl(url: URL, what: string, policy: NetworkPolicy): Promise<void> {
  const loopback = isLoopbackHost(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new OAuthFlowError(
      'unsafe_url',
      `Refusing ${what} ${url.href}: it must use https (plain http is accepted only on localhost).`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw new OAuthFlowError('unsafe_url', `Refusing ${what} ${url.href}: it carries credentials.`);
  }
  if (policy.allowPrivateNetwork) return;
  const refuse = (address: string) =>
    new OAuthFlowError(
      'private_address',
      `Refusing ${what} ${url.href}: ${url.hostname}${address === url.hostname ? '' : ` (${address})`} is a loopback, private or link-local address. Set allowPrivateNetwork: true to allow it (local development only).`,
    );
  if (loopback) throw refuse(url.hostname);
  if (isAddressLiteral(url.hostname)) {
    if (isPrivateAddress(url.hostname)) throw refuse(url.hostname);
    return;
  }
  if (!policy.resolveHost) return;
  const addresses = await policy.resolveHost(url.hostname);
  const bad = addresses.find(isPrivateAddress);
  if (bad !== undefined) throw refuse(bad);
}
