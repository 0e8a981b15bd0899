/**
 * The stateless revision 2026-07-28 on the one MCP endpoint: which POSTs belong to it, and the
 * checks its requests pass before the server sees them, in the spec's order (protocol version
 * header, `_meta` envelope, header against envelope, supported version, `Mcp-Method`, `Mcp-Name`,
 * `Mcp-Param-*`). Every refusal is a 400 whose JSON-RPC error echoes the request id.
 */
import {
  decodeHeaderValue,
  describePath,
  ErrorCode,
  type JsonRpcRequest,
  MetaKey,
  MODERN_REVISION,
  methodFacts,
  type RequestEnvelope,
  readEnvelope,
  valueAtPath,
} from '../../protocol/index.ts';
import type { ParsedBody } from '../body.ts';
import type { SessionHost } from '../options.ts';
import { errorReply } from '../reply.ts';

/** The revisions served without a session, per request. */
const STATELESS_REVISIONS: ReadonlySet<string> = new Set([MODERN_REVISION]);

/**
 * Where the `Mcp-Name` header of an extension's method comes from (the tasks extension: taskId); the
 * core methods' sources are facts of the method table.
 */
const EXTENSION_NAME_SOURCE: Readonly<Record<string, 'taskId'>> = {
  'tasks/get': 'taskId',
  'tasks/update': 'taskId',
  'tasks/cancel': 'taskId',
};

function nameSource(method: string): string | undefined {
  return (
    methodFacts(method)?.nameParam ??
    (Object.hasOwn(EXTENSION_NAME_SOURCE, method) ? EXTENSION_NAME_SOURCE[method] : undefined)
  );
}

const PLAIN_HEADER_VALUE = /^[\t\x20-\x7e]*$/;

/** Whether params carry any key of the per-request envelope in `_meta`. */
function hasEnvelopeKey(params: unknown): boolean {
  if (typeof params !== 'object' || params === null) return false;
  const meta = (params as { _meta?: unknown })._meta;
  if (typeof meta !== 'object' || meta === null) return false;
  return MetaKey.protocolVersion in meta || MetaKey.clientCapabilities in meta || MetaKey.clientInfo in meta;
}

/**
 * Whether a POST belongs to the stateless revision: its `MCP-Protocol-Version` header names it,
 * its message carries the `_meta` envelope, or it is `server/discover`.
 */
// revision: the era of a POST is read from the POST itself, before any table can be asked
export function isModernPost(request: Request, body: ParsedBody): boolean {
  // revision: the era of a POST, named by its version header
  if (request.headers.get('mcp-protocol-version') === MODERN_REVISION) return true;
  if (body.batch) return false;
  const message = body.messages[0] as { method?: unknown; params?: unknown } | undefined;
  if (message === undefined || typeof message.method !== 'string') return false;
  return message.method === 'server/discover' || hasEnvelopeKey(message.params);
}

/** What the checks need to know about the server. */
export interface ModernCheckHost {
  /** The versions listed in an unsupported-version error. */
  supported: readonly string[];
  /** The host, for the `x-mcp-header` parameters of tools. */
  host: SessionHost;
}

function mismatch(id: JsonRpcRequest['id'], message: string): Response {
  return errorReply(400, ErrorCode.HeaderMismatch, `Header mismatch: ${message}`, undefined, id);
}

/**
 * Checks a request of the stateless revision; returns the 400 answer, or the request's envelope
 * (read here, once) when it may be served.
 */
export function checkModernPost(
  request: Request,
  message: JsonRpcRequest,
  check: ModernCheckHost,
): Response | RequestEnvelope {
  const { id, method } = message;
  const headers = request.headers;
  const header = headers.get('mcp-protocol-version');
  if (header === null) {
    return mismatch(
      id,
      `the MCP-Protocol-Version header is required; send the version of params._meta['${MetaKey.protocolVersion}'] in it.`,
    );
  }
  let envelope: RequestEnvelope;
  try {
    envelope = readEnvelope(message.params);
  } catch (error) {
    return errorReply(400, ErrorCode.InvalidParams, (error as Error).message, undefined, id);
  }
  const version = envelope.protocolVersion;
  if (header !== version) {
    return mismatch(
      id,
      `MCP-Protocol-Version header '${header}' does not match params._meta['${MetaKey.protocolVersion}'] '${version}'.`,
    );
  }
  if (!STATELESS_REVISIONS.has(version)) {
    return errorReply(
      400,
      ErrorCode.UnsupportedProtocolVersion,
      `Unsupported protocol version '${version}'; this server supports ${check.supported.join(', ')}.`,
      undefined,
      id,
      { supported: [...check.supported], requested: version },
    );
  }
  const methodHeader = headers.get('mcp-method');
  if (methodHeader === null) return mismatch(id, `the Mcp-Method header is required (here: '${method}').`);
  if (methodHeader !== method) {
    return mismatch(id, `Mcp-Method header value '${methodHeader}' does not match body method '${method}'.`);
  }
  return checkName(headers, message) ?? checkParams(headers, message, check.host) ?? envelope;
}

/** `Mcp-Name` must mirror params.name (tools/call, prompts/get) or params.uri (resources/read). */
function checkName(headers: Headers, message: JsonRpcRequest): Response | undefined {
  const source = nameSource(message.method);
  if (source === undefined) return undefined;
  const value = message.params?.[source];
  const raw = headers.get('mcp-name');
  if (raw === null) {
    if (typeof value !== 'string') return undefined; // the server answers the missing param itself
    return mismatch(message.id, `the Mcp-Name header is required for ${message.method} (here: '${value}').`);
  }
  const decoded = decodeHeader(raw.trim());
  if (decoded === undefined) {
    return mismatch(message.id, `Mcp-Name header value '${raw}' is not valid (bad =?base64?…?= encoding).`);
  }
  if (decoded !== value) {
    return mismatch(
      message.id,
      `Mcp-Name header value '${decoded}' does not match body params.${source} '${String(value)}'.`,
    );
  }
  return undefined;
}

/**
 * Each `x-mcp-header` argument of the tool (the value at its property path) must travel in its
 * `Mcp-Param-*` header, and agree; an integer must be within the JavaScript safe range.
 */
function checkParams(headers: Headers, message: JsonRpcRequest, host: SessionHost): Response | undefined {
  if (message.method !== 'tools/call' || !host.toolHeaders) return undefined;
  const name = message.params?.name;
  if (typeof name !== 'string') return undefined;
  const params = host.toolHeaders(name);
  if (!params || params.length === 0) return undefined;
  const args = message.params?.arguments;
  for (const [path, headerName] of params) {
    const value = valueAtPath(args, path);
    const where = describePath(path);
    const raw = headers.get(`mcp-param-${headerName}`);
    const present = value !== undefined && value !== null;
    if (raw === null) {
      if (!present) continue;
      return mismatch(message.id, `the Mcp-Param-${headerName} header is required when ${where} is given.`);
    }
    if (!present) {
      return mismatch(message.id, `Mcp-Param-${headerName} was sent but ${where} is absent.`);
    }
    if (typeof value === 'number' && !Number.isSafeInteger(value)) {
      return mismatch(
        message.id,
        `${where} (${value}), mirrored in Mcp-Param-${headerName}, must be an integer from -(2^53 - 1) to 2^53 - 1.`,
      );
    }
    const decoded = decodeHeader(raw.trim());
    if (decoded === undefined) {
      return mismatch(
        message.id,
        `Mcp-Param-${headerName} header value is not valid: plain visible ASCII, or =?base64?<strict base64 of UTF-8>?=.`,
      );
    }
    if (!sameValue(decoded, value)) {
      return mismatch(
        message.id,
        `Mcp-Param-${headerName} header value '${decoded}' does not match ${where} ${JSON.stringify(value)}.`,
      );
    }
  }
  return undefined;
}

/** Decodes a header that may use the base64 sentinel; undefined when it is malformed. */
function decodeHeader(raw: string): string | undefined {
  const decoded = decodeHeaderValue(raw);
  if (decoded === raw && !PLAIN_HEADER_VALUE.test(raw)) return undefined;
  return decoded;
}

/** Header text against a body value: strings exactly, integers numerically, booleans as true/false. */
function sameValue(text: string, value: unknown): boolean {
  switch (typeof value) {
    case 'string':
      return text === value;
    case 'number':
      // Decimal JSON number text only: no hex, octal or binary spellings, no surrounding space.
      return /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/.test(text) && Number(text) === value;
    case 'boolean':
      return text === String(value);
    default:
      return false;
  }
}
