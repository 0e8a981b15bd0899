import { describe, expect, it } from 'vitest';
import { checkModernPost } from '../src/http/modern/modern-check.ts';

/** The 400 answer of the 2026-07-28 POST checks, or undefined when the request may be served. */
function checkModernRequest(...args: Parameters<typeof checkModernPost>): Response | undefined {
  const checked = checkModernPost(...args);
  return checked instanceof Response ? checked : undefined;
}

import type { JsonRpcRequest } from '../src/protocol/index.ts';
import { readSse } from '../src/transport/sse-parse.ts';

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const c of chunks) controller.enqueue(encoder.encode(c));
      controller.close();
    },
  });
}

describe('regressions found by fuzzing', () => {
  it('SSE: an event past the size limit fails the stream even after an ignored field', async () => {
    const events: unknown[] = [];
    const read = readSse(
      streamOf(['foo: bar\n', 'data: ', 'x'.repeat(50), 'x'.repeat(50)]),
      { onEvent: (e) => events.push(e) },
      64,
    );
    await expect(read).rejects.toThrow();
    // An ignored field alone is not a failure.
    await expect(
      readSse(streamOf(['foo: bar\n', 'data: hi\n\n']), { onEvent: (e) => events.push(e) }, 64),
    ).resolves.toBe(undefined);
    expect(events).toHaveLength(1);
  });

  it('Mcp-Param-*: an integer argument matches only its decimal spelling', () => {
    const message: JsonRpcRequest = {
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: {
        name: 't',
        arguments: { n: 42 },
        _meta: {
          'io.modelcontextprotocol/protocolVersion': '2026-07-28',
          'io.modelcontextprotocol/clientCapabilities': {},
        },
      },
    };
    const host = {
      supported: ['2026-07-28'],
      host: {
        connect: () => Promise.reject(new Error('unused')),
        toolHeaders: () => [[['n'], 'N'] as const],
      },
    };
    const request = (value: string) =>
      new Request('http://localhost/mcp', {
        method: 'POST',
        headers: {
          'mcp-protocol-version': '2026-07-28',
          'mcp-method': 'tools/call',
          'mcp-name': 't',
          'mcp-param-n': value,
        },
      });
    expect(checkModernRequest(request('42'), message, host)).toBeUndefined();
    for (const spelling of ['0x2A', '0b101010', '0o52', '+42']) {
      expect(checkModernRequest(request(spelling), message, host)?.status, spelling).toBe(400);
    }
  });
});
