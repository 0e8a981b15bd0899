/** The stateless revision 2026-07-28 ("modern"): per-request `_meta` keys, removed methods, result fields. */

import { ErrorCode, McpError } from './errors.ts';
import type { Params } from './jsonrpc.ts';
import type { Revision } from './revisions.ts';
import type { ClientCapabilities, Implementation, LoggingLevel } from './types.ts';

/** The modern revision. */
export const MODERN_REVISION: Revision = '2026-07-28';

/** Reserved `_meta` keys of the modern revision. */
export const MetaKey = {
  protocolVersion: 'io.modelcontextprotocol/protocolVersion',
  clientInfo: 'io.modelcontextprotocol/clientInfo',
  clientCapabilities: 'io.modelcontextprotocol/clientCapabilities',
  logLevel: 'io.modelcontextprotocol/logLevel',
  subscriptionId: 'io.modelcontextprotocol/subscriptionId',
  serverInfo: 'io.modelcontextprotocol/serverInfo',
} as const;

/** The per-request envelope a modern request carries in `params._meta`. */
export interface RequestEnvelope {
  protocolVersion: string;
  clientCapabilities: ClientCapabilities;
  clientInfo?: Implementation;
  logLevel?: LoggingLevel;
}

/** Methods of the stateful revisions that the modern revision removed (HTTP answers them with 404). */
export const REMOVED_IN_MODERN: ReadonlySet<string> = new Set([
  'initialize',
  'ping',
  'logging/setLevel',
  'resources/subscribe',
  'resources/unsubscribe',
]);

/** Client→server request methods of the modern revision. */
export const MODERN_METHODS: ReadonlySet<string> = new Set([
  'server/discover',
  'tools/list',
  'tools/call',
  'resources/list',
  'resources/templates/list',
  'resources/read',
  'prompts/list',
  'prompts/get',
  'completion/complete',
  'subscriptions/listen',
]);

/** Results that carry caching hints (`ttlMs`, `cacheScope`). */
export const CACHEABLE_METHODS: ReadonlySet<string> = new Set([
  'server/discover',
  'tools/list',
  'prompts/list',
  'resources/list',
  'resources/templates/list',
  'resources/read',
]);

/** Methods whose result may be an InputRequiredResult (Multi Round-Trip Requests). */
export const MRTR_METHODS: ReadonlySet<string> = new Set(['tools/call', 'prompts/get', 'resources/read']);

/** Who may cache a result. */
export type CacheScope = 'public' | 'private';

/** A server→client request carried inside an InputRequiredResult. */
export interface InputRequest {
  method: 'elicitation/create' | 'sampling/createMessage' | 'roots/list';
  params?: Record<string, unknown>;
}

/** The result asking the client for input before the request can complete. */
export interface InputRequiredResult {
  resultType: 'input_required';
  inputRequests?: Record<string, InputRequest>;
  requestState?: string;
  [key: string]: unknown;
}

/** Whether params carry the modern envelope (the protocolVersion key in `_meta`). */
export function hasEnvelope(params: Record<string, unknown> | undefined): boolean {
  const meta = params?._meta as Record<string, unknown> | undefined;
  return meta !== undefined && typeof meta === 'object' && meta !== null && MetaKey.protocolVersion in meta;
}

/** Adds the modern envelope to a request's params (keeping any other `_meta` keys). */
export function withEnvelope(
  params: Params | undefined,
  capabilities: ClientCapabilities,
  clientInfo: Implementation | undefined,
  logLevel: LoggingLevel | undefined,
): Params {
  const meta: Record<string, unknown> = {
    ...params?._meta,
    [MetaKey.protocolVersion]: MODERN_REVISION,
    [MetaKey.clientCapabilities]: capabilities,
  };
  if (clientInfo !== undefined) meta[MetaKey.clientInfo] = clientInfo;
  if (logLevel !== undefined) meta[MetaKey.logLevel] = logLevel;
  return { ...params, _meta: meta };
}

/** Codes only a modern server sends. */
const MODERN_CODES: ReadonlySet<number> = new Set([
  ErrorCode.HeaderMismatch,
  ErrorCode.MissingRequiredClientCapability,
  ErrorCode.UnsupportedProtocolVersion,
]);

/**
 * Whether an error identifies the server as modern (basic/versioning, "Backward Compatibility"): a
 * code only modern servers send, or an error listing 2026-07-28 among the supported versions.
 */
export function isModernError(error: unknown): boolean {
  if (!(error instanceof McpError)) return false;
  if (MODERN_CODES.has(error.code)) return true;
  const supported = (error.data as { supported?: unknown } | undefined)?.supported;
  return Array.isArray(supported) && supported.includes(MODERN_REVISION);
}
