/**
 * The tracing and metrics middleware: an inbound request gets a SERVER span whose parent is the
 * context in its `params._meta`; an outbound request gets a CLIENT span whose context is written into
 * its `params._meta`. The handler runs inside the span's context, so its own spans are children of
 * it. Durations go to `mcp.server.operation.duration` (inbound) and `mcp.client.operation.duration`
 * (outbound).
 */
import {
  type Attributes,
  type Context,
  context,
  type Histogram,
  type Link,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { LocalError, McpError, RequestCancelledError, RequestTimeoutError } from '../protocol/index.ts';
import type { Middleware, MiddlewareRequest } from '../rpc/index.ts';
import { Attr, metricAttributes, requestAttributes, spanName } from './attributes.ts';
import { extractContext, injectContext } from './propagation.ts';

/** The instruments one middleware records with. */
export interface Instruments {
  tracer: Tracer;
  serverDuration: Histogram;
  clientDuration: Histogram;
  /** Attributes every outbound span carries (the server's address, where the client knows it). */
  outboundAttributes: Attributes;
  /** The negotiated revision, for requests that do not carry it themselves. */
  revision?: () => string | undefined;
}

/** The `error.type` of a failure: the JSON-RPC code, or a low-cardinality name for local failures. */
function errorType(error: unknown): string {
  if (error instanceof McpError) return String(error.code);
  if (error instanceof RequestTimeoutError) return 'timeout';
  if (error instanceof RequestCancelledError) return 'cancelled';
  if (error instanceof LocalError) return error.name;
  return error instanceof Error && error.name !== 'Error' ? error.name : '_OTHER';
}

function fail(span: Span, attributes: Attributes, error: unknown): void {
  const type = errorType(error);
  attributes[Attr.errorType] = type;
  span.setAttribute(Attr.errorType, type);
  if (error instanceof McpError) {
    attributes[Attr.statusCode] = String(error.code);
    span.setAttribute(Attr.statusCode, String(error.code));
  }
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: error instanceof Error ? error.message : String(error),
  });
}

/** Marks a tool result with `isError` as the conventions ask: `error.type` `tool_error`. */
function checkResult(
  request: MiddlewareRequest,
  result: Record<string, unknown>,
  span: Span,
  attributes: Attributes,
) {
  if (request.method !== 'tools/call' || result.isError !== true) return;
  attributes[Attr.errorType] = 'tool_error';
  span.setAttribute(Attr.errorType, 'tool_error');
  span.setStatus({ code: SpanStatusCode.ERROR, message: 'The tool reported an error (isError).' });
}

async function traced(
  span: Span,
  attributes: Attributes,
  histogram: Histogram,
  request: MiddlewareRequest,
  active: Context,
  next: () => Promise<Record<string, unknown>>,
): Promise<Record<string, unknown>> {
  const started = performance.now();
  try {
    const result = await context.with(active, next);
    checkResult(request, result, span, attributes);
    return result;
  } catch (error) {
    fail(span, attributes, error);
    throw error;
  } finally {
    span.end();
    histogram.record((performance.now() - started) / 1000, metricAttributes(attributes));
  }
}

/** The middleware that traces and measures every request through a client or a server. */
export function telemetryMiddleware(instruments: Instruments): Middleware {
  const { tracer } = instruments;
  return (request, next) => {
    const ambient = context.active();
    if (request.direction === 'inbound') {
      const attributes = requestAttributes(request);
      const parent = extractContext(ambient, request.params);
      const ambientSpan = trace.getSpanContext(ambient);
      const links: Link[] =
        ambientSpan && parent !== ambient && trace.getSpanContext(parent) !== ambientSpan
          ? [{ context: ambientSpan }]
          : [];
      const span = tracer.startSpan(spanName(request), { kind: SpanKind.SERVER, attributes, links }, parent);
      return traced(span, attributes, instruments.serverDuration, request, trace.setSpan(parent, span), next);
    }
    const attributes = { ...requestAttributes(request), ...instruments.outboundAttributes };
    if (attributes[Attr.protocolVersion] === undefined) {
      const revision = instruments.revision?.();
      if (revision !== undefined) attributes[Attr.protocolVersion] = revision;
    }
    const span = tracer.startSpan(spanName(request), { kind: SpanKind.CLIENT, attributes }, ambient);
    const active = trace.setSpan(ambient, span);
    request.params = injectContext(active, request.params);
    return traced(span, attributes, instruments.clientDuration, request, active, next);
  };
}
