/**
 * REDIS_URL in its three forms: one server (`redis://`, `rediss://`), a Redis Cluster
 * (`redis+cluster://` seed nodes) and a primary behind Sentinel (`redis+sentinel://` sentinels and
 * the primary's name). A malformed URL is refused with the accepted forms.
 */

/** A host and port. */
export interface RedisAddress {
  host: string;
  port: number;
}

/** Where the shared stores live: a URL, or the same as options. */
export type RedisTarget =
  | string
  | {
      /** Seed nodes of a Redis Cluster (any reachable primary or replica; the rest are discovered). */
      cluster: readonly RedisAddress[];
      username?: string;
      password?: string;
      tls?: boolean;
    }
  | {
      /** Sentinels watching the primary (at least one reachable). */
      sentinels: readonly RedisAddress[];
      /** The name the sentinels know the primary by (`sentinel monitor <name> …`). */
      name: string;
      username?: string;
      password?: string;
      tls?: boolean;
      db?: number;
    };

/** A target made explicit. */
export type ParsedTarget =
  | { kind: 'single'; url: string }
  | { kind: 'cluster'; nodes: RedisAddress[]; username?: string; password?: string; tls: boolean }
  | {
      kind: 'sentinel';
      sentinels: RedisAddress[];
      name: string;
      username?: string;
      password?: string;
      tls: boolean;
      db: number;
    };

/** The forms a REDIS_URL may take, for error messages. */
export const REDIS_URL_FORMS =
  'redis://[user:password@]host:port[/db] (one server; rediss:// for TLS), ' +
  'redis+cluster://[user:password@]host:port,host:port,… (seed nodes of a Redis Cluster) or ' +
  'redis+sentinel://[user:password@]host:port,host:port,…/primary-name[/db] (sentinels and the name of the primary they watch)';

/** Turns a URL or options into an explicit target; throws an error naming the accepted forms. */
export function parseTarget(target: RedisTarget): ParsedTarget {
  if (typeof target !== 'string') {
    if ('cluster' in target) {
      const nodes = checkAddresses(target.cluster, 'cluster');
      return {
        kind: 'cluster',
        nodes,
        username: target.username,
        password: target.password,
        tls: !!target.tls,
      };
    }
    if (!target.name)
      throw new Error('The sentinel option needs name: the name the sentinels know the primary by.');
    return {
      kind: 'sentinel',
      sentinels: checkAddresses(target.sentinels, 'sentinels'),
      name: target.name,
      username: target.username,
      password: target.password,
      tls: !!target.tls,
      db: target.db ?? 0,
    };
  }
  const refuse = (why: string): never => {
    throw new Error(`Invalid REDIS_URL "${redactUrl(target)}": ${why}. Use ${REDIS_URL_FORMS}.`);
  };
  const m = /^([a-z+]+):\/\/(?:([^@/]*)@)?([^/?#]*)(\/[^?#]*)?(\?[^#]*)?$/i.exec(target.trim());
  if (!m) return refuse('not a URL of a known form');
  const scheme = (m[1] as string).toLowerCase();
  const auth = m[2];
  const hosts = m[3] as string;
  const path = m[4] ?? '';
  if (m[5] !== undefined && scheme !== 'redis' && scheme !== 'rediss') {
    refuse(
      'options after "?" are taken by redis:// and rediss:// only (give the others as connectRedis options)',
    );
  }
  if (scheme === 'redis' || scheme === 'rediss') {
    if (hosts.includes(',')) refuse('several hosts need redis+cluster:// or redis+sentinel://');
    if (hosts === '') refuse('no host');
    if (!/^(\/[0-9]{0,2})?\/?$/.test(path)) refuse(`"${path}" is not a database number`);
    return { kind: 'single', url: target.trim() };
  }
  const tls = scheme.startsWith('rediss+');
  const mode = scheme.replace(/^rediss?\+/, '');
  if (!/^rediss?\+(cluster|sentinel)$/.test(scheme)) refuse(`unknown scheme "${m[1]}:"`);
  const { username, password } = credentials(auth);
  const addresses = hosts.split(',').map((h) => address(h, refuse));
  if (mode === 'cluster') {
    if (path !== '' && path !== '/') refuse('a cluster URL has no path (Redis Cluster has one database)');
    return { kind: 'cluster', nodes: addresses, username, password, tls };
  }
  const parts = path.split('/').filter((p) => p !== '');
  const name = parts[0];
  if (!name) return refuse('the name of the primary is missing after the sentinels (…/mymaster)');
  const db = parts[1] === undefined ? 0 : Number(parts[1]);
  if (parts.length > 2 || !Number.isInteger(db) || db < 0) refuse(`"${path}" is not /primary-name[/db]`);
  return {
    kind: 'sentinel',
    sentinels: addresses,
    name: decodeURIComponent(name),
    username,
    password,
    tls,
    db,
  };
}

/** Hides the password of a URL. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

/** A printable name of a target (no password). */
export function describeTarget(target: ParsedTarget): string {
  const list = (a: RedisAddress[]) => a.map((x) => `${x.host}:${x.port}`).join(',');
  if (target.kind === 'single') return redactUrl(target.url);
  if (target.kind === 'cluster') return `Redis Cluster ${list(target.nodes)}`;
  return `primary "${target.name}" of sentinels ${list(target.sentinels)}`;
}

function credentials(auth: string | undefined): { username?: string; password?: string } {
  if (auth === undefined || auth === '') return {};
  const cut = auth.indexOf(':');
  if (cut < 0) return { password: decodeURIComponent(auth) };
  const username = decodeURIComponent(auth.slice(0, cut));
  return {
    username: username === '' ? undefined : username,
    password: decodeURIComponent(auth.slice(cut + 1)),
  };
}

function address(text: string, refuse: (why: string) => never): RedisAddress {
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]\s]+):([0-9]{1,5})$/i.exec(text.trim());
  const port = Number(m?.[2]);
  if (!m || port < 1 || port > 65535) return refuse(`"${text}" is not host:port`);
  return { host: (m[1] as string).replace(/^\[|\]$/g, ''), port };
}

function checkAddresses(list: readonly RedisAddress[], what: string): RedisAddress[] {
  if (!Array.isArray(list) || list.length === 0) {
    throw new Error(`The ${what} option needs at least one { host, port }.`);
  }
  for (const a of list) {
    if (typeof a?.host !== 'string' || !Number.isInteger(a.port) || a.port < 1 || a.port > 65535) {
      throw new Error(
        `The ${what} option holds ${JSON.stringify(a)}, not a { host, port } with a port 1-65535.`,
      );
    }
  }
  return list.map((a) => ({ host: a.host, port: a.port }));
}
