/**
 * Mounted calls are traced like local ones: the parent's server span names the prefixed tool, the
 * hop to the child is a client span under it, and the child's server span continues the same trace
 * (trace context carried in params._meta), with the OTel SDK's in-memory exporter.
 */
import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { McpClient } from '../src/client/index.ts';
import { createUpstreamClient } from '../src/compose/index.ts';
import { instrumentClient, instrumentServer } from '../src/otel/index.ts';
import { McpServer } from '../src/server/index.ts';
import { createMemoryPair } from '../src/transport/index.ts';

const spans = new InMemorySpanExporter();
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });

beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(tracerProvider);
});
afterAll(async () => {
  await tracerProvider.shutdown();
});

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

it('traces a mounted call: parent server span → client span to the child → child server span', async () => {
  const child = new McpServer({ name: 'child', version: '1.0.0' });
  instrumentServer(child);
  child.tool('hello', { description: 'Greets.' }, () => 'hello');
  const upstream = createUpstreamClient({ name: 'parent', version: '1.0.0', era: 'legacy' });
  instrumentClient(upstream);
  const [near, far] = createMemoryPair();
  await child.connect(far);
  await upstream.connect(near);

  const parent = new McpServer({ name: 'parent', version: '1.0.0' });
  instrumentServer(parent);
  await parent.mount('kid', upstream);
  const [a, b] = createMemoryPair();
  await parent.connect(b);
  const client = new McpClient({ era: 'legacy' });
  await client.connect(a);
  spans.reset();

  expect(await client.callTool('kid_hello', {})).toEqual({ content: [{ type: 'text', text: 'hello' }] });
  const done = spans.getFinishedSpans();
  const parentServer = done.find((s) => s.name === 'tools/call kid_hello' && s.kind === SpanKind.SERVER);
  const hop = done.find((s) => s.name === 'tools/call hello' && s.kind === SpanKind.CLIENT);
  const childServer = done.find((s) => s.name === 'tools/call hello' && s.kind === SpanKind.SERVER);
  expect(parentServer?.attributes['gen_ai.tool.name']).toBe('kid_hello');
  expect(parentOf(hop as ReadableSpan)).toBe(parentServer?.spanContext().spanId);
  expect(parentOf(childServer as ReadableSpan)).toBe(hop?.spanContext().spanId);
  expect(childServer?.spanContext().traceId).toBe(parentServer?.spanContext().traceId);
  await client.close();
  await upstream.close();
});
