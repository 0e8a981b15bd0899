/** The stateless revision 2026-07-28 ("modern"): per-request `_meta` keys, removed methods, result fields. */

import { ErrorCode, McpError } from './errors.ts';
import type { Params } from './jsonrpc.ts';
import type { ClientCapabilities } from './lifecycle.ts';
import type { Revision } from './revisions.ts';
import { LOGGING_LEVELS, type LoggingLevel } from './server-features.ts';
import type { Implementation } from './types.ts';

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

/**
 * Reads the envelope of a modern request from its params, the one place it is read: throws -32602
 * with what to send when a required field is missing or malformed.
 */
export function readEnvelope(params: Params | undefined): RequestEnvelope {
  const meta = params?._meta as Record<string, unknown> | undefined;
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) {
    throw invalidEnvelope(
      `missing _meta; a ${MODERN_REVISION} request carries '${MetaKey.protocolVersion}' and '${MetaKey.clientCapabilities}' in params._meta.`,
    );
  }
  const protocolVersion = meta[MetaKey.protocolVersion];
  if (typeof protocolVersion !== 'string') {
    throw invalidEnvelope(`missing '${MetaKey.protocolVersion}' (a string) in params._meta.`);
  }
  const caps = meta[MetaKey.clientCapabilities];
  if (typeof caps !== 'object' || caps === null || Array.isArray(caps)) {
    throw invalidEnvelope(
      `missing '${MetaKey.clientCapabilities}' (an object, {} when the client has none) in params._meta.`,
    );
  }
  const level = meta[MetaKey.logLevel];
  if (level !== undefined && !LOGGING_LEVELS.includes(level as LoggingLevel)) {
    throw invalidEnvelope(`'${MetaKey.logLevel}' must be one of: ${LOGGING_LEVELS.join(', ')}.`);
  }
  const info = meta[MetaKey.clientInfo];
  return {
    protocolVersion,
    clientCapabilities: caps as ClientCapabilities,
    clientInfo: typeof info === 'object' && info !== null ? (info as Implementation) : undefined,
    logLevel: level as LoggingLevel | undefined,
  };
}

function invalidEnvelope(message: string): McpError {
  return new McpError(ErrorCode.InvalidParams, `Invalid params: ${message}`);
}

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
