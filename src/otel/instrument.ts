/**
 * Turning tracing and metrics on for a server or a client: `instrumentServer(server)` and
 * `instrumentClient(client)` add the telemetry middleware (call them before other middleware is
 * added, so that the spans cover it) and record session durations. Through `@opentelemetry/api`
 * only: with no SDK registered, the API's no-op tracer and meter make it cost next to nothing, and
 * without these calls nothing is instrumented at all.
 */
import {
  type Attributes,
  type Meter,
  type MeterProvider,
  metrics,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import type { McpClient } from '../client/index.ts';
import type { McpServer, ServerSession } from '../server/index.ts';
import { Attr, DURATION_BUCKETS } from './attributes.ts';
import { type Instruments, telemetryMiddleware } from './middleware.ts';

/** The instrumentation scope's name. */
export const INSTRUMENTATION_NAME = 'mcpkit';

/** Options of `instrumentServer` and `instrumentClient`. */
export interface TelemetryOptions {
  /** The tracer provider (default: the global one). */
  tracerProvider?: TracerProvider;
  /** The meter provider (default: the global one). */
  meterProvider?: MeterProvider;
}

/** Options of `instrumentClient`. */
export interface ClientTelemetryOptions extends TelemetryOptions {
  /** The server's URL, recorded as `server.address` and `server.port` (HTTP clients). */
  serverUrl?: string | URL;
  /** How the client reaches the server: `pipe` for stdio, `tcp` for HTTP (`network.transport`). */
  transport?: 'pipe' | 'tcp';
}

function duration(meter: Meter, name: string, description: string) {
  return meter.createHistogram(name, {
    unit: 's',
    description,
    advice: { explicitBucketBoundaries: DURATION_BUCKETS },
  });
}

function instruments(
  options: TelemetryOptions,
  outboundAttributes: Attributes,
): Instruments & { meter: Meter } {
  const meter = (options.meterProvider ?? metrics.getMeterProvider()).getMeter(INSTRUMENTATION_NAME);
  return {
    meter,
    tracer: (options.tracerProvider ?? trace.getTracerProvider()).getTracer(INSTRUMENTATION_NAME),
    serverDuration: duration(
      meter,
      'mcp.server.operation.duration',
      'MCP request duration as observed on the receiver, from receiving it until the result is sent.',
    ),
    clientDuration: duration(
      meter,
      'mcp.client.operation.duration',
      'MCP request duration as observed on the sender, from sending it until the response arrives.',
    ),
    outboundAttributes,
  };
}

/** Traces and measures every request a server receives and sends; records `mcp.server.session.duration`. */
export function instrumentServer(server: McpServer, options: TelemetryOptions = {}): void {
  const made = instruments(options, {});
  server.use(telemetryMiddleware(made));
  const sessions = duration(
    made.meter,
    'mcp.server.session.duration',
    'The duration of an MCP session as observed on the server.',
  );
  const opened = new WeakMap<ServerSession, { at: number; version: string | undefined }>();
  server.on('session', (session) =>
    opened.set(session, { at: performance.now(), version: session.revision }),
  );
  server.on('sessionClosed', (session) => {
    const start = opened.get(session);
    if (!start) return;
    const attributes: Attributes = {};
    if (start.version) attributes[Attr.protocolVersion] = start.version;
    sessions.record((performance.now() - start.at) / 1000, attributes);
  });
}

/** The `server.*` and `network.*` attributes a client knows from its options. */
function clientAttributes(options: ClientTelemetryOptions): Attributes {
  const attributes: Attributes = {};
  if (options.serverUrl !== undefined) {
    const url = new URL(options.serverUrl);
    attributes[Attr.serverAddress] = url.hostname.replace(/^\[|\]$/g, '');
    attributes[Attr.serverPort] = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    attributes[Attr.networkProtocolName] = 'http';
  }
  const transport = options.transport ?? (options.serverUrl !== undefined ? 'tcp' : undefined);
  if (transport) attributes[Attr.networkTransport] = transport;
  return attributes;
}

/** Traces and measures every request a client sends and receives; records `mcp.client.session.duration`. */
export function instrumentClient(client: McpClient, options: ClientTelemetryOptions = {}): void {
  const made = instruments(options, clientAttributes(options));
  made.revision = () => {
    try {
      return client.revision;
    } catch {
      return undefined; // the handshake has not finished
    }
  };
  const middleware = telemetryMiddleware(made);
  const sessions = duration(
    made.meter,
    'mcp.client.session.duration',
    'The duration of an MCP session as observed on the client.',
  );
  // A session starts with the first request of a connection (its handshake) and ends with the close.
  let started: number | undefined;
  client.use((request, next) => {
    started ??= performance.now();
    return middleware(request, next);
  });
  client.on('close', () => {
    if (started === undefined) return;
    const attributes: Attributes = { ...made.outboundAttributes };
    const revision = made.revision?.();
    if (revision !== undefined) attributes[Attr.protocolVersion] = revision;
    sessions.record((performance.now() - started) / 1000, attributes);
    started = undefined;
  });
}
