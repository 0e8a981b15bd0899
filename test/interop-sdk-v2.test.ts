/**
 * Interop with the official TypeScript SDK v2 client (`@modelcontextprotocol/client`) pinned to
 * 2026-07-28: every feature of the reference server over Streamable HTTP and over stdio, with
 * elicitation, sampling and roots answered through Multi Round-Trip Requests; then a legacy client
 * (SDK v1) and a modern client using one HTTP server at the same time. One server per transport; the
 * tests of each run in order. interop-sdk-v2.schema.test.ts runs the feature tests again and checks
 * every message the server sent against the 2026-07-28 schema, strictly.
 */
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Client as LegacyClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as LegacyHttp } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ToolListChangedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { featureTests, httpSession, stdioSession } from './support/interop-v2-features.ts';
import { ANSWERS, MODERN, modernClient, recordTransport, textOf } from './support/sdk-v2-client.ts';

describe('SDK v2 client (2026-07-28) ↔ reference server over Streamable HTTP', () => {
  const { session, url } = httpSession();

  featureTests(() => session);

  it('recorded the whole exchange, which the schema step checks', () => {
    expect(session.transport.wire.received.length).toBeGreaterThan(40);
  });

  it('serves a legacy (v1) client and a modern (v2) client at the same time, interleaved', async () => {
    const legacy = new LegacyClient(
      { name: 'sdk-v1-interop', version: '1.0.0' },
      { capabilities: { sampling: {}, elicitation: {} } },
    );
    legacy.setRequestHandler(CreateMessageRequestSchema, async () => ({
      role: 'assistant',
      content: { type: 'text', text: 'Lyon' },
      model: 'legacy-model',
    }));
    legacy.setRequestHandler(ElicitRequestSchema, async () => ({
      action: 'accept',
      content: { username: 'ada', email: 'ada@example.com', name: 'Ada' },
    }));
    let legacyToolsChanged = () => {};
    legacy.setNotificationHandler(ToolListChangedNotificationSchema, () => legacyToolsChanged());
    const legacyTransport = new LegacyHttp(new URL(url()));
    await legacy.connect(legacyTransport);

    const { client: modern } = modernClient('sdk-v2-alongside');
    const modernTransport = recordTransport(new StreamableHTTPClientTransport(new URL(url())));
    await modern.connect(modernTransport);
    try {
      expect(legacyTransport.sessionId).toEqual(expect.any(String));
      expect(legacy.getServerVersion()?.name).toBe('mcpkit-reference-server');
      expect(modern.getNegotiatedProtocolVersion()).toBe(MODERN);

      const legacyProgress: number[] = [];
      const modernProgress: number[] = [];
      const [lElicit, mElicit, lSample, mSample, lProgress, mProgress, lTools, mSum] = await Promise.all([
        legacy.callTool({ name: 'test_elicitation', arguments: { message: 'Who?' } }),
        modern.callTool({ name: 'test_input_required_result_elicitation', arguments: {} }),
        legacy.callTool({ name: 'test_sampling', arguments: { prompt: 'A city?' } }),
        modern.callTool({ name: 'test_input_required_result_sampling', arguments: {} }),
        legacy.callTool({ name: 'test_tool_with_progress', arguments: {} }, undefined, {
          onprogress: (p) => legacyProgress.push(p.progress),
        }),
        modern.callTool(
          { name: 'test_tool_with_progress', arguments: {} },
          { onprogress: (p) => modernProgress.push(p.progress) },
        ),
        legacy.listTools(),
        modern.callTool({ name: 'add', arguments: { a: 40, b: 2 } }),
      ]);
      expect(textOf(lElicit)).toBe(
        'User response: action=accept, content={"username":"ada","email":"ada@example.com","name":"Ada"}',
      );
      expect(textOf(mElicit)).toBe(`Hello, ${ANSWERS.name}!`);
      expect(textOf(lSample)).toBe('LLM response: Lyon');
      expect(textOf(mSample)).toBe(`Model says: ${ANSWERS.text}`);
      expect(textOf(lProgress)).toMatch(/^Progress test completed/);
      expect(textOf(mProgress)).toMatch(/^Progress test completed/);
      // SDK v1 may drop the last progress notification when it shares a read with the result (#2580).
      expect(legacyProgress.length).toBeGreaterThanOrEqual(2);
      expect(legacyProgress).toEqual([0, 50, 100].slice(0, legacyProgress.length));
      expect(modernProgress).toEqual([0, 50, 100]);
      expect(lTools.tools.map((t) => t.name)).toContain('test_input_required_result_elicitation');
      expect(mSum.structuredContent).toEqual({ sum: 42 });

      // A change made through one era reaches the other: the legacy session's stream and the
      // modern client's subscriptions/listen stream.
      const modernChanged = new Promise<void>((resolve) => {
        modern.setNotificationHandler('notifications/tools/list_changed', () => resolve());
      });
      const subscription = await modern.listen({ toolsListChanged: true });
      const legacyChanged = new Promise<void>((resolve) => {
        legacyToolsChanged = resolve;
      });
      await legacy.callTool({ name: 'test_trigger_tool_change', arguments: {} });
      await modernChanged;
      await legacyChanged;
      await modern.callTool({ name: 'test_trigger_tool_change', arguments: {} }); // back as it was
      await subscription.close();

      expect(modernTransport.sessionId).toBeUndefined();
      expect(modernTransport.wire.sent.map((m) => m.method)).not.toContain('initialize');
    } finally {
      await legacy.close();
      await modern.close();
    }
  });
});

describe('SDK v2 client (2026-07-28) ↔ reference server over stdio', () => {
  const session = stdioSession();

  featureTests(() => session);

  it('recorded the whole exchange, which the schema step checks', () => {
    expect(session.transport.wire.received.length).toBeGreaterThan(40);
  });
});
