/**
 * The method table: every request method of every revision, with the facts the rest of the code
 * asks about it (who receives it, the capability it needs, the eras and revisions it exists in,
 * whether its result is cacheable or may ask for input, where its `Mcp-Name` header comes from). A
 * new method or a revision difference is one row here; the server's handlers, the client's
 * capability checks, the HTTP header checks and the CLI's bridge all read it.
 */
import { ErrorCode, McpError } from './errors.ts';
import type { ClientCapabilities, ServerCapabilities } from './lifecycle.ts';
import { FEATURES, type Revision, type RevisionFeatures } from './revisions.ts';

/** What the protocol says about one request method. */
export interface MethodFacts {
  /** Who receives the request: the server (client→server) or the client (server→client). */
  readonly to: 'server' | 'client';
  /** The capability the receiver must declare, as a dotted path; undefined: every peer answers it. */
  readonly capability?: string;
  /** Whether it exists in the stateful revisions (2024-11-05 … 2025-11-25). */
  readonly legacy: boolean;
  /** Whether it exists in the stateless revision 2026-07-28. */
  readonly modern: boolean;
  /** A revision feature the method needs besides its era (e.g. `elicitation`). */
  readonly feature?: keyof RevisionFeatures;
  /** Whether a 2026-07-28 result carries caching hints (`ttlMs`, `cacheScope`). */
  readonly cacheable?: boolean;
  /** Whether a 2026-07-28 result may be `input_required` (Multi Round-Trip Requests). */
  readonly inputRequests?: boolean;
  /** The params field the `Mcp-Name` header repeats (2026-07-28 over HTTP). */
  readonly nameParam?: 'name' | 'uri';
}

const LEGACY_ONLY = { to: 'server', legacy: true, modern: false } as const;
const BOTH = { to: 'server', legacy: true, modern: true } as const;
const MODERN_ONLY = { to: 'server', legacy: false, modern: true } as const;

/** Every request method, by name. */
export const METHODS = {
  initialize: LEGACY_ONLY,
  ping: LEGACY_ONLY,
  'logging/setLevel': { ...LEGACY_ONLY, capability: 'logging' },
  'resources/subscribe': { ...LEGACY_ONLY, capability: 'resources.subscribe' },
  'resources/unsubscribe': { ...LEGACY_ONLY, capability: 'resources.subscribe' },
  'server/discover': { ...MODERN_ONLY, cacheable: true },
  'subscriptions/listen': MODERN_ONLY,
  'tools/list': { ...BOTH, capability: 'tools', cacheable: true },
  'tools/call': { ...BOTH, capability: 'tools', inputRequests: true, nameParam: 'name' },
  'resources/list': { ...BOTH, capability: 'resources', cacheable: true },
  'resources/templates/list': { ...BOTH, capability: 'resources', cacheable: true },
  'resources/read': {
    ...BOTH,
    capability: 'resources',
    cacheable: true,
    inputRequests: true,
    nameParam: 'uri',
  },
  'prompts/list': { ...BOTH, capability: 'prompts', cacheable: true },
  'prompts/get': { ...BOTH, capability: 'prompts', inputRequests: true, nameParam: 'name' },
  'completion/complete': { ...BOTH, capability: 'completions' },
  'sampling/createMessage': { to: 'client', legacy: true, modern: true, capability: 'sampling' },
  'roots/list': { to: 'client', legacy: true, modern: true, capability: 'roots' },
  'elicitation/create': {
    to: 'client',
    legacy: true,
    modern: true,
    capability: 'elicitation',
    feature: 'elicitation',
  },
} as const satisfies Record<string, MethodFacts>;

/** A method of the table. */
export type MethodName = keyof typeof METHODS;

/** The facts of a method; undefined for one the protocol does not define. */
export function methodFacts(method: string): MethodFacts | undefined {
  return Object.hasOwn(METHODS, method) ? (METHODS as Record<string, MethodFacts>)[method] : undefined;
}

function methodsWhere(test: (facts: MethodFacts) => boolean): readonly string[] {
  return Object.entries(METHODS as Record<string, MethodFacts>)
    .filter(([, facts]) => test(facts))
    .map(([name]) => name);
}

/** Client→server request methods of the stateful revisions. */
export const CLIENT_REQUEST_METHODS = methodsWhere((f) => f.to === 'server' && f.legacy) as readonly [
  'initialize',
  'ping',
  'logging/setLevel',
  'resources/subscribe',
  'resources/unsubscribe',
  'tools/list',
  'tools/call',
  'resources/list',
  'resources/templates/list',
  'resources/read',
  'prompts/list',
  'prompts/get',
  'completion/complete',
];

/** A client→server request method. */
export type ClientRequestMethod = (typeof CLIENT_REQUEST_METHODS)[number];

/** Server→client request methods (`ping` goes both ways). */
export const SERVER_REQUEST_METHODS = [
  'ping',
  ...methodsWhere((f) => f.to === 'client'),
] as readonly string[] as readonly ['ping', 'sampling/createMessage', 'roots/list', 'elicitation/create'];

/** The server→client requests a 2026-07-28 server makes as input requests (all but `ping`). */
export const INPUT_REQUEST_METHODS: ReadonlySet<string> = new Set(methodsWhere((f) => f.to === 'client'));

/** A server→client request method. */
export type ServerRequestMethod = (typeof SERVER_REQUEST_METHODS)[number];

/** Methods of the stateful revisions that the modern revision removed (HTTP answers them with 404). */
export const REMOVED_IN_MODERN: ReadonlySet<string> = new Set(
  methodsWhere((f) => f.to === 'server' && f.legacy && !f.modern),
);

/** Client→server request methods of the modern revision. */
export const MODERN_METHODS: ReadonlySet<string> = new Set(
  methodsWhere((f) => f.to === 'server' && f.modern),
);

/** Results that carry caching hints (`ttlMs`, `cacheScope`). */
export const CACHEABLE_METHODS: ReadonlySet<string> = new Set(methodsWhere((f) => f.cacheable === true));

/** Methods whose result may be an InputRequiredResult (Multi Round-Trip Requests). */
export const MRTR_METHODS: ReadonlySet<string> = new Set(methodsWhere((f) => f.inputRequests === true));

/**
 * The server capability an inbound client request needs, as a path into ServerCapabilities; null
 * for methods every server answers.
 */
export function serverCapabilityFor(method: string): string | null {
  const facts = methodFacts(method);
  return facts?.to === 'server' ? (facts.capability ?? null) : null;
}

/** The client capability a server→client request needs. */
export function clientCapabilityFor(method: string): string | null {
  const facts = methodFacts(method);
  return facts?.to === 'client' ? (facts.capability ?? null) : null;
}

/** Whether a dotted capability path is declared in a capabilities object. */
export function hasCapability(
  caps: ServerCapabilities | ClientCapabilities | undefined,
  path: string,
): boolean {
  let node: unknown = caps;
  for (const part of path.split('.')) {
    if (typeof node !== 'object' || node === null) return false;
    node = (node as Record<string, unknown>)[part];
    if (node === undefined || node === false || node === null) return false;
  }
  return true;
}

/** Whether a method of the table exists in a revision (its era, and the feature it needs). */
export function methodExists(method: string, revision: Revision): boolean {
  if (method === 'ping' && !FEATURES[revision].stateless) return true;
  const facts = methodFacts(method);
  if (facts === undefined) return false;
  if (!(FEATURES[revision].stateless ? facts.modern : facts.legacy)) return false;
  return facts.feature === undefined || FEATURES[revision][facts.feature] !== false;
}

/** Whether a server→client request method exists in a revision. */
export function serverRequestExists(method: string, revision: Revision): boolean {
  if (method === 'ping') return true;
  return methodFacts(method)?.to === 'client' && methodExists(method, revision);
}

/** The -32601 error for a method, saying when it exists in other revisions only. */
export function methodNotFound(method: string, revision: Revision): McpError {
  const elsewhere = methodFacts(method)?.to === 'server';
  return new McpError(
    ErrorCode.MethodNotFound,
    elsewhere
      ? `Method not found: '${method}' does not exist in revision ${revision}.`
      : `Method not found: '${method}'.`,
  );
}
