import { describe, expect, it } from 'vitest';
import { reconnectDelay } from './streamable-http-options.ts';
import { buildHeaders, HttpStatusError, readTextBounded } from './streamable-http-request.ts';

describe('HttpStatusError', () => {
  const url = new URL('http://127.0.0.1:1/mcp');

  it('carries the JSON-RPC error of the body into the answer it stands in for', () => {
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: null,
      error: { code: -32000, message: 'Bad Request: no session' },
    });
    const error = new HttpStatusError('POST', url, 400, 'Bad Request', body);
    expect(error.message).toBe(
      'POST http://127.0.0.1:1/mcp answered HTTP 400 Bad Request: Bad Request: no session',
    );
    expect(error.toResponse(3)).toEqual({
      jsonrpc: '2.0',
      id: 3,
      error: { code: -32000, message: 'Bad Request: no session' },
    });
  });

  it('answers -32603 with the HTTP status when the body is not a JSON-RPC error', () => {
    const error = new HttpStatusError('GET', url, 500, '', '{"oops":true}');
    expect(error.rpcError).toBeUndefined();
    expect(error.toResponse('a')).toEqual({
      jsonrpc: '2.0',
      id: 'a',
      error: { code: -32603, message: error.message, data: { httpStatus: 500 } },
    });
  });
});

describe('readTextBounded', () => {
  it('stops reading at the limit', async () => {
    const response = new Response('x'.repeat(10_000));
    expect(await readTextBounded(response, 100)).toHaveLength(100);
    expect(await readTextBounded(new Response('short'), 100)).toBe('short');
  });
});

describe('buildHeaders', () => {
  it('layers requestInit headers, the headers option, then the transport’s own', async () => {
    const headers = await buildHeaders(
      {
        requestInit: { headers: { 'x-a': 'init', accept: 'text/html' } },
        headers: async () => ({ 'x-b': 'option', 'x-a': 'option' }),
      },
      { accept: 'text/event-stream', 'mcp-session-id': undefined },
    );
    expect(headers.get('x-a')).toBe('option');
    expect(headers.get('x-b')).toBe('option');
    expect(headers.get('accept')).toBe('text/event-stream');
    expect(headers.has('mcp-session-id')).toBe(false);
  });
});

describe('reconnectDelay', () => {
  const policy = { initialDelay: 100, maxDelay: 1_000, growth: 2, maxAttempts: 5 };

  it('uses the server’s retry first, and grows it after failures up to the cap', () => {
    expect(reconnectDelay(policy, undefined, 0)).toBe(100);
    expect(reconnectDelay(policy, undefined, 3)).toBe(800);
    expect(reconnectDelay(policy, undefined, 10)).toBe(1_000);
    expect(reconnectDelay(policy, 7, 0)).toBe(7);
    expect(reconnectDelay(policy, 5_000, 0)).toBe(5_000);
    expect(reconnectDelay(policy, 5_000, 4)).toBe(5_000);
  });
});
