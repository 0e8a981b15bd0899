/**
 * OpenTelemetry by the MCP conventions, with the OTel SDK's in-memory exporters: span names, kinds
 * and attributes; the parent chain across the wire (client span → server span → the handler's own
 * span → the server's sampling request → the client's span for it) over Streamable HTTP (2025-11-25
 * with sessions, and 2026-07-28), tool errors and JSON-RPC errors, and the duration metrics.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { context, metrics, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { McpClient } from '../src/client/index.ts';
import { createHttpHandler } from '../src/http/index.ts';
import { StdioClientTransport, serveHttp } from '../src/node/index.ts';
import { instrumentClient, instrumentServer } from '../src/otel/index.ts';
import { McpServer } from '../src/server/index.ts';
import { StreamableHttpClientTransport } from '../src/transport/index.ts';
import { ROOT } from './fixtures/cli-process.ts';

const spans = new InMemorySpanExporter();
const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 60_000 });
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
const meterProvider = new MeterProvider({ readers: [reader] });

beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(tracerProvider);
  metrics.setGlobalMeterProvider(meterProvider);
});
afterAll(async () => {
  await meterProvider.shutdown();
  await tracerProvider.shutdown();
});
afterEach(() => spans.reset());

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanup.length > 0) await (cleanup.pop() as () => Promise<unknown>)().catch(() => {});
});

/** A server with a tool that makes a span of its own and asks the client to sample, one that fails, one that reports isError. */
function testServer(): McpServer {
  const server = new McpServer({ name: 'traced', version: '1.0.0' });
  instrumentServer(server);
  server.tool('weather', { input: z.object({ city: z.string() }) }, async ({ city }, ctx) => {
    const inner = trace.getTracer('app').startSpan('look up weather');
    inner.end();
    if (city === 'ask') {
      const answer = await ctx.sample({
        messages: [{ role: 'user', content: { type: 'text', text: 'sunny?' } }],
        maxTokens: 5,
      });
      return (answer.content as { text: string }).text;
    }
    return `sunny in ${city}`;
  });
  server.tool('broken', {}, () => ({ content: [{ type: 'text', text: 'no' }], isError: true }));
  server.tool('confirm', {}, async (_args, ctx) => {
    const answer = await ctx.elicit({
      message: 'Sure?',
      requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } } },
    });
    return answer.action;
  });
  return server;
}

async function connect(era: 'legacy' | 'modern') {
  const server = testServer();
  const http = await serveHttp(createHttpHandler(server), { port: 0 });
  const url = `http://127.0.0.1:${http.port}/mcp`;
  const client = new McpClient({
    name: 'traced-client',
    version: '1.0.0',
    era,
    handlers: {
      sampling: async () => ({ role: 'assistant', model: 'm', content: { type: 'text', text: 'yes' } }),
      elicitation: async () => ({ action: 'accept', content: { ok: true } }),
    },
  });
  instrumentClient(client, { serverUrl: url });
  await client.connect(new StreamableHttpClientTransport(url, { openGetStream: false }));
  cleanup.push(
    () => http.close(),
    () => server.close(),
    () => client.close(),
  );
  return { client, url, port: http.port };
}

function one(name: string, kind: SpanKind): ReadableSpan {
  const found = spans.getFinishedSpans().filter((s) => s.name === name && s.kind === kind);
  expect(
    found.map((s) => s.name),
    `${SpanKind[kind]} ${name}`,
  ).toHaveLength(1);
  return found[0] as ReadableSpan;
}

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

/** The count of a histogram data point's value (0 when there is none). */
const countOf = (value: unknown) => (value as { count?: number } | undefined)?.count ?? 0;

describe('spans by the MCP conventions', () => {
  for (const era of ['legacy', 'modern'] as const) {
    it(`${era}: the client span is the parent of the server span, which is the parent of the handler's span`, async () => {
      const { client, port } = await connect(era);
      const app = trace.getTracer('app').startSpan('user request');
      await context.with(trace.setSpan(context.active(), app), () =>
        client.callTool('weather', { city: 'Oslo' }),
      );
      app.end();
      const clientSpan = one('tools/call weather', SpanKind.CLIENT);
      const serverSpan = one('tools/call weather', SpanKind.SERVER);
      const inner = one('look up weather', SpanKind.INTERNAL);
      expect(parentOf(clientSpan)).toBe(app.spanContext().spanId);
      expect(serverSpan.spanContext().traceId).toBe(app.spanContext().traceId);
      expect(parentOf(serverSpan)).toBe(clientSpan.spanContext().spanId);
      expect(parentOf(inner)).toBe(serverSpan.spanContext().spanId);
      const revision = era === 'modern' ? '2026-07-28' : '2025-11-25';
      expect(clientSpan.attributes).toMatchObject({
        'mcp.method.name': 'tools/call',
        'gen_ai.tool.name': 'weather',
        'gen_ai.operation.name': 'execute_tool',
        'mcp.protocol.version': revision,
        'server.address': '127.0.0.1',
        'server.port': port,
        'network.transport': 'tcp',
      });
      expect(clientSpan.attributes['jsonrpc.request.id']).toEqual(expect.any(String));
      expect(serverSpan.attributes).toMatchObject({
        'mcp.method.name': 'tools/call',
        'gen_ai.tool.name': 'weather',
        'mcp.protocol.version': revision,
        'network.transport': 'tcp',
        'jsonrpc.request.id': clientSpan.attributes['jsonrpc.request.id'],
      });
      if (era === 'legacy') expect(serverSpan.attributes['mcp.session.id']).toMatch(/^[0-9a-f]{32}$/);
      expect(serverSpan.status.code).toBe(SpanStatusCode.UNSET);
    });
  }

  it('legacy: the server’s sampling request continues the trace into the client’s handler span', async () => {
    const { client } = await connect('legacy');
    expect(await client.callTool('weather', { city: 'ask' })).toMatchObject({
      content: [{ type: 'text', text: 'yes' }],
    });
    const toolServer = one('tools/call weather', SpanKind.SERVER);
    const sampleOut = one('sampling/createMessage', SpanKind.CLIENT);
    const sampleIn = one('sampling/createMessage', SpanKind.SERVER);
    expect(parentOf(sampleOut)).toBe(toolServer.spanContext().spanId);
    expect(parentOf(sampleIn)).toBe(sampleOut.spanContext().spanId);
    expect(sampleIn.spanContext().traceId).toBe(toolServer.spanContext().traceId);
  });

  it('2026-07-28: each Multi Round-Trip round carries the trace; every server span is a child of its round’s client span', async () => {
    const { client } = await connect('modern');
    const app = trace.getTracer('app').startSpan('user request');
    const result = await context.with(trace.setSpan(context.active(), app), () =>
      client.callTool('confirm', {}),
    );
    app.end();
    expect(result).toMatchObject({ content: [{ type: 'text', text: 'accept' }] });
    const finished = spans.getFinishedSpans().filter((s) => s.name === 'tools/call confirm');
    const clients = finished.filter((s) => s.kind === SpanKind.CLIENT);
    const servers = finished.filter((s) => s.kind === SpanKind.SERVER);
    expect(clients.length).toBeGreaterThanOrEqual(2);
    expect(servers).toHaveLength(clients.length);
    for (const server of servers) {
      expect(clients.map((c) => c.spanContext().spanId)).toContain(parentOf(server));
      expect(server.spanContext().traceId).toBe(app.spanContext().traceId);
    }
  });

  it('a tool result with isError is error.type tool_error; a JSON-RPC error is its code', async () => {
    const { client } = await connect('legacy');
    await client.callTool('broken', {});
    const broken = one('tools/call broken', SpanKind.SERVER);
    expect(broken.attributes['error.type']).toBe('tool_error');
    expect(broken.status.code).toBe(SpanStatusCode.ERROR);
    await expect(client.callTool('missing', {})).rejects.toThrow();
    const failed = one('tools/call missing', SpanKind.CLIENT);
    expect(failed.attributes).toMatchObject({
      'gen_ai.tool.name': 'missing',
      'error.type': expect.stringMatching(/^-326\d\d$/),
      'rpc.response.status_code': failed.attributes['error.type'],
    });
    expect(failed.status).toMatchObject({ code: SpanStatusCode.ERROR, message: expect.any(String) });
  });
});

describe('metrics by the MCP conventions', () => {
  it('records operation durations on both sides and session durations', async () => {
    const { client } = await connect('legacy');
    await client.callTool('weather', { city: 'Oslo' });
    await client.close();
    await reader.forceFlush();
    const exported = metricExporter.getMetrics().flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics));
    const named = (name: string) => exported.filter((m) => m.descriptor.name === name);
    for (const name of ['mcp.client.operation.duration', 'mcp.server.operation.duration']) {
      const metric = named(name).at(-1);
      expect(metric?.descriptor.unit, name).toBe('s');
      const call = metric?.dataPoints.find((p) => p.attributes['gen_ai.tool.name'] === 'weather');
      expect(call?.attributes, name).toMatchObject({ 'mcp.method.name': 'tools/call' });
      expect((call?.value as { count?: number } | undefined)?.count ?? 0, name).toBeGreaterThan(0);
    }
    const session = named('mcp.client.session.duration').at(-1);
    expect(countOf(session?.dataPoints[0]?.value)).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 50));
    await reader.forceFlush();
    const serverSessions = metricExporter
      .getMetrics()
      .flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics))
      .filter((m) => m.descriptor.name === 'mcp.server.session.duration')
      .at(-1);
    expect(countOf(serverSessions?.dataPoints[0]?.value)).toBeGreaterThan(0);
  });
});

/** An OTLP/HTTP receiver on loopback: what it was sent, by signal (`traces`, `metrics`). */
async function otlpReceiver() {
  const received: Record<string, unknown[]> = { traces: [], metrics: [] };
  const http = await serveHttp(
    async (request) => {
      const signal = new URL(request.url).pathname.replace('/v1/', '');
      received[signal]?.push(await request.json());
      return Response.json({});
    },
    { port: 0 },
  );
  cleanup.push(() => http.close());
  return { endpoint: `http://127.0.0.1:${http.port}`, received };
}

interface OtlpSpan {
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attributes: { key: string; value: Record<string, unknown> }[];
}

function otlpSpans(batches: unknown[]): OtlpSpan[] {
  return (batches as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] }[]).flatMap((b) =>
    b.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)),
  );
}

const otlpAttribute = (span: OtlpSpan, key: string) =>
  Object.values(span.attributes.find((a) => a.key === key)?.value ?? {})[0];

function otelEnv(endpoint: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('OTEL_')) env[k] = v;
  return {
    ...env,
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_TRACES_EXPORTER: 'otlp',
    OTEL_METRICS_EXPORTER: 'otlp',
    OTEL_LOGS_EXPORTER: 'none',
    OTEL_BSP_SCHEDULE_DELAY: '50',
    OTEL_METRIC_EXPORT_INTERVAL: '200',
    OTEL_SERVICE_NAME: 'mcpkit-under-test',
  };
}

async function until<T>(what: string, probe: () => T | undefined, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const got = probe();
    if (got !== undefined) return got;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('OTLP export from the OTEL_* variables', () => {
  it('npm start exports the server’s spans and metrics, continuing the client’s trace', async () => {
    const otlp = await otlpReceiver();
    const child = spawn(process.execPath, ['src/node/serve-http.ts'], {
      cwd: ROOT,
      env: { ...otelEnv(otlp.endpoint), PORT: '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    cleanup.push(async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => {
      out += t;
    });
    const url = await until('the server to listen', () => /Streamable HTTP: (\S+)/.exec(out)?.[1]);
    const client = new McpClient({ name: 'otlp-test', version: '1.0.0', era: 'legacy' });
    instrumentClient(client, { serverUrl: url });
    await client.connect(new StreamableHttpClientTransport(url, { openGetStream: false }));
    cleanup.push(() => client.close());
    await client.callTool('add', { a: 1, b: 2 });
    const clientSpan = one('tools/call add', SpanKind.CLIENT);
    const serverSpan = await until('the exported server span', () =>
      otlpSpans(otlp.received.traces ?? []).find((s) => s.name === 'tools/call add'),
    );
    expect(serverSpan.kind).toBe(2); // SPAN_KIND_SERVER
    expect(serverSpan.traceId).toBe(clientSpan.spanContext().traceId);
    expect(serverSpan.parentSpanId).toBe(clientSpan.spanContext().spanId);
    expect(otlpAttribute(serverSpan, 'gen_ai.tool.name')).toBe('add');
    expect(otlpAttribute(serverSpan, 'mcp.session.id')).toMatch(/^[0-9a-f]{32}$/);
    await until('the exported server duration metric', () =>
      JSON.stringify(otlp.received.metrics).includes('mcp.server.operation.duration') ? true : undefined,
    );
  });

  it('mcpkit serve --stdio exports spans whose parent is the client span on the other end of the pipe', async () => {
    const otlp = await otlpReceiver();
    const client = new McpClient({ name: 'otlp-stdio', version: '1.0.0', era: 'legacy' });
    instrumentClient(client, { transport: 'pipe' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [join(ROOT, 'src/cli/main.ts'), 'serve', '--stdio'],
        env: otelEnv(otlp.endpoint),
      }),
    );
    await client.callTool('add', { a: 2, b: 3 });
    const clientSpan = one('tools/call add', SpanKind.CLIENT);
    expect(clientSpan.attributes['network.transport']).toBe('pipe');
    await client.close();
    const serverSpan = await until('the exported server span', () =>
      otlpSpans(otlp.received.traces ?? []).find((s) => s.name === 'tools/call add'),
    );
    expect(serverSpan.parentSpanId).toBe(clientSpan.spanContext().spanId);
    expect(serverSpan.traceId).toBe(clientSpan.spanContext().traceId);
  });
});
