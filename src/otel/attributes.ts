/**
 * The attributes and span names of the OpenTelemetry semantic conventions for MCP (GenAI
 * conventions, `docs/gen-ai/mcp.md`): `{mcp.method.name} {target}` names, where the target is the
 * tool or prompt name, and the attributes a request carries.
 */
import type { Attributes } from '@opentelemetry/api';
import { MetaKey } from '../protocol/index.ts';
import type { MiddlewareRequest } from '../rpc/index.ts';

/** Attribute keys of the conventions. */
export const Attr = {
  methodName: 'mcp.method.name',
  sessionId: 'mcp.session.id',
  protocolVersion: 'mcp.protocol.version',
  resourceUri: 'mcp.resource.uri',
  requestId: 'jsonrpc.request.id',
  toolName: 'gen_ai.tool.name',
  promptName: 'gen_ai.prompt.name',
  operationName: 'gen_ai.operation.name',
  errorType: 'error.type',
  statusCode: 'rpc.response.status_code',
  networkTransport: 'network.transport',
  networkProtocolName: 'network.protocol.name',
  serverAddress: 'server.address',
  serverPort: 'server.port',
} as const;

/** The bucket boundaries the conventions advise for MCP durations, in seconds. */
export const DURATION_BUCKETS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];

const URI_METHODS = new Set(['resources/read', 'resources/subscribe', 'resources/unsubscribe']);

function paramString(request: MiddlewareRequest, key: string): string | undefined {
  const value = request.params?.[key];
  return typeof value === 'string' ? value : undefined;
}

/** The low-cardinality target of a request: the tool or prompt name. */
function targetOf(request: MiddlewareRequest): string | undefined {
  if (request.method === 'tools/call' || request.method === 'prompts/get')
    return paramString(request, 'name');
  return undefined;
}

/** The span name: `{method} {target}`, or the method alone. */
export function spanName(request: MiddlewareRequest): string {
  const target = targetOf(request);
  return target === undefined ? request.method : `${request.method} ${target}`;
}

/** The revision a request is made under, as far as the request itself tells. */
function protocolVersionOf(request: MiddlewareRequest): string | undefined {
  const meta = request.params?._meta as Record<string, unknown> | undefined;
  const enveloped = meta?.[MetaKey.protocolVersion];
  if (typeof enveloped === 'string') return enveloped;
  if (request.info?.protocolVersion) return request.info.protocolVersion;
  return request.method === 'initialize' ? paramString(request, 'protocolVersion') : undefined;
}

/** What the conventions record for one request, on either side. */
export function requestAttributes(request: MiddlewareRequest): Attributes {
  const attributes: Attributes = { [Attr.methodName]: request.method };
  if (request.id !== null && request.id !== undefined) attributes[Attr.requestId] = String(request.id);
  if (request.method === 'tools/call') {
    const name = paramString(request, 'name');
    if (name !== undefined) attributes[Attr.toolName] = name;
    attributes[Attr.operationName] = 'execute_tool';
  } else if (request.method === 'prompts/get') {
    const name = paramString(request, 'name');
    if (name !== undefined) attributes[Attr.promptName] = name;
  } else if (URI_METHODS.has(request.method)) {
    const uri = paramString(request, 'uri');
    if (uri !== undefined) attributes[Attr.resourceUri] = uri;
  }
  const version = protocolVersionOf(request);
  if (version !== undefined) attributes[Attr.protocolVersion] = version;
  const httpRequest = request.info?.request;
  if (httpRequest) {
    attributes[Attr.networkTransport] = 'tcp';
    attributes[Attr.networkProtocolName] = 'http';
    const session = httpRequest.headers.get('mcp-session-id');
    if (session) attributes[Attr.sessionId] = session;
  }
  return attributes;
}

/** The attributes of the duration metrics: the low-cardinality subset of the span's. */
export function metricAttributes(span: Attributes): Attributes {
  const out: Attributes = {};
  for (const key of [
    Attr.methodName,
    Attr.toolName,
    Attr.promptName,
    Attr.protocolVersion,
    Attr.errorType,
    Attr.statusCode,
    Attr.networkTransport,
    Attr.networkProtocolName,
    Attr.serverAddress,
    Attr.serverPort,
    Attr.operationName,
  ]) {
    if (span[key] !== undefined) out[key] = span[key];
  }
  return out;
}
