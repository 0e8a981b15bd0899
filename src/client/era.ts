/**
 * The modern era on the client side (2026-07-28): the per-request envelope, era detection as the
 * versioning page orders it, `Mcp-Param-*` headers for `x-mcp-header` tool parameters, and the
 * memory of which era each server speaks.
 */
import {
  type ClientCapabilities,
  ErrorCode,
  type Implementation,
  type LoggingLevel,
  McpError,
  MetaKey,
  MODERN_REVISION,
  type Params,
  type Tool,
} from '../protocol/index.ts';

/** Which era a client speaks with a server. */
export type Era = 'modern' | 'legacy';

/** Codes only a modern server sends: seeing one identifies the server as modern. */
const MODERN_CODES = new Set<number>([
  ErrorCode.HeaderMismatch,
  ErrorCode.MissingRequiredClientCapability,
  ErrorCode.UnsupportedProtocolVersion,
]);

/** Whether an error identifies the server as modern (basic/versioning, "Backward Compatibility"). */
export function isModernError(error: unknown): boolean {
  return error instanceof McpError && MODERN_CODES.has(error.code);
}

/** Remembered eras, by server (an HTTP origin and path, or a stdio command line). */
export const eraMemory = new Map<string, Era>();

/** Adds the modern envelope to a request's params. */
export function withEnvelope(
  params: Params | undefined,
  capabilities: ClientCapabilities,
  clientInfo: Implementation,
  logLevel: LoggingLevel | undefined,
): Params {
  const meta: Record<string, unknown> = {
    ...params?._meta,
    [MetaKey.protocolVersion]: MODERN_REVISION,
    [MetaKey.clientCapabilities]: capabilities,
    [MetaKey.clientInfo]: clientInfo,
  };
  if (logLevel !== undefined) meta[MetaKey.logLevel] = logLevel;
  return { ...params, _meta: meta };
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * The `x-mcp-header` parameters of a tool, or undefined when the tool's annotations are invalid
 * (the client must then not call it: empty or duplicate names, names that are not HTTP tokens, or
 * an annotation on a property that is not a string, number or boolean).
 */
export function headerParams(tool: Tool): Array<[param: string, header: string]> | undefined {
  const props = (tool.inputSchema?.properties ?? {}) as Record<string, Record<string, unknown>>;
  const out: Array<[string, string]> = [];
  const seen = new Set<string>();
  for (const [name, schema] of Object.entries(props)) {
    if (typeof schema !== 'object' || schema === null || !('x-mcp-header' in schema)) continue;
    const header = schema['x-mcp-header'];
    const type = schema.type;
    if (typeof header !== 'string' || header === '' || !TOKEN.test(header)) return undefined;
    if (type !== 'string' && type !== 'integer' && type !== 'boolean') return undefined;
    const lower = header.toLowerCase();
    if (seen.has(lower)) return undefined;
    seen.add(lower);
    out.push([name, header]);
  }
  return out;
}

/** Encodes one parameter value for an `Mcp-Param-*` header; undefined means "send no header". */
export function encodeHeaderValue(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const plain = /^[\x20-\x7e]*$/.test(text) && text.trim() === text;
  if (plain) return text;
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return `=?base64?${btoa(binary)}?=`;
}

/** The `Mcp-Param-*` headers for a tool call. */
export function paramHeaders(
  params: Array<[string, string]>,
  args: Record<string, unknown> | undefined,
): Record<string, string> | undefined {
  let headers: Record<string, string> | undefined;
  for (const [name, header] of params) {
    const v = encodeHeaderValue(args?.[name]);
    if (v === undefined) continue;
    headers ??= {};
    headers[`Mcp-Param-${header}`] = v;
  }
  return headers;
}
