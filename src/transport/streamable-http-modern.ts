/**
 * The 2026-07-28 ("modern") side of the Streamable HTTP client: which messages are modern (their
 * `params._meta` carries the protocol version), the request metadata headers mirrored from the body
 * (`MCP-Protocol-Version`, `Mcp-Method`, `Mcp-Name`), and the errors by which a server shows that it
 * speaks the modern revision.
 */
import {
  ErrorCode,
  encodeHeaderValue,
  isRequest,
  type JsonRpcMessage,
  type JsonRpcRequest,
  MetaKey,
} from '../protocol/index.ts';
import type { HttpStatusError } from './streamable-http-request.ts';

/** Methods whose `Mcp-Name` header mirrors a body field, and that field. */
const NAME_FIELDS: Readonly<Record<string, 'name' | 'uri'>> = {
  'tools/call': 'name',
  'prompts/get': 'name',
  'resources/read': 'uri',
};

/**
 * JSON-RPC error codes by which a server refusing a request shows that it speaks the modern
 * revision: the three only a modern server sends, and "method not found" (which a server of the
 * HTTP+SSE transport does not answer a POST to the MCP endpoint with).
 */
const MODERN_REFUSAL_CODES: ReadonlySet<number> = new Set<number>([
  ErrorCode.HeaderMismatch,
  ErrorCode.MissingRequiredClientCapability,
  ErrorCode.UnsupportedProtocolVersion,
  ErrorCode.MethodNotFound,
]);

/** The protocol version in a message's `params._meta`, which makes it a modern message; else undefined. */
export function modernVersionOf(message: JsonRpcMessage): string | undefined {
  if (!('method' in message)) return undefined;
  const meta = message.params?._meta as Record<string, unknown> | undefined;
  if (typeof meta !== 'object' || meta === null) return undefined;
  const version = meta[MetaKey.protocolVersion];
  return typeof version === 'string' ? version : undefined;
}

/** Whether a message is a single request of the modern revision. */
// revision: the era of one message, read from its envelope
export function isModernRequest(message: JsonRpcMessage | JsonRpcMessage[]): message is JsonRpcRequest {
  return !Array.isArray(message) && isRequest(message) && modernVersionOf(message) !== undefined;
}

/**
 * The request metadata headers of a modern message: `MCP-Protocol-Version` equal to `version`,
 * `Mcp-Method`, and `Mcp-Name` for tools/call, prompts/get (params.name) and resources/read
 * (params.uri), encoded when the value is not a plain header value.
 */
export function modernHeaders(message: JsonRpcMessage, version: string): Record<string, string> {
  const headers: Record<string, string> = { 'mcp-protocol-version': version };
  if (!('method' in message)) return headers;
  headers['mcp-method'] = message.method;
  const field = NAME_FIELDS[message.method];
  const name = field === undefined ? undefined : message.params?.[field];
  if (typeof name === 'string') headers['mcp-name'] = encodeNameHeader(name);
  return headers;
}

/**
 * An `Mcp-Name` value (a tool or prompt name, a resource URI) as an HTTP header value: byte for byte
 * when it is printable ASCII without leading or trailing spaces and does not look like an encoded
 * value; otherwise `=?base64?<UTF-8, Base64>?=`.
 */
export function encodeNameHeader(value: string): string {
  return encodeHeaderValue(value) as string;
}

/**
 * Whether an HTTP error answer carries a JSON-RPC error by which a server shows that it speaks the
 * modern revision (header mismatch, missing client capability, unsupported version, unknown
 * method): no fallback to another transport is due.
 */
// revision: the refusals only a 2026-07-28 server gives
export function isModernRefusal(error: HttpStatusError): boolean {
  const code = error.rpcError?.code;
  return code !== undefined && MODERN_REFUSAL_CODES.has(code);
}
