import { describe, expect, it } from 'vitest';
import { deferBodies, jsonBodyText } from './beside.ts';
import { completeResponse, jsonResponse } from './reply.ts';

const TEXT = '{"jsonrpc":"2.0","id":1,"result":{}}';

describe('JSON answers: the text beside the Response, and the body it gets on the way out', () => {
  it('a jsonResponse carries its text for an adapter, and no body stream until completed', () => {
    const answer = jsonResponse(200, TEXT, { 'mcp-session-id': 'abc' });
    expect(jsonBodyText(answer)).toBe(TEXT);
    expect(answer.body).toBeNull();
    expect(answer.headers.get('content-type')).toBe('application/json');
  });

  it('completeResponse gives an ordinary caller the body, status and headers', async () => {
    const request = new Request('http://localhost/mcp', { method: 'POST' });
    const answer = completeResponse(request, jsonResponse(404, TEXT, { 'mcp-session-id': 'abc' }));
    expect(answer.status).toBe(404);
    expect(answer.headers.get('mcp-session-id')).toBe('abc');
    expect(jsonBodyText(answer)).toBe(TEXT);
    expect(await answer.text()).toBe(TEXT);
    // Once read, the text is no longer offered beside it.
    expect(jsonBodyText(answer)).toBeUndefined();
  });

  it('a caller that reads JSON answers as text (the Node adapter) gets the answer as it is', () => {
    const request = new Request('http://localhost/mcp', { method: 'POST' });
    deferBodies(request);
    const answer = jsonResponse(200, TEXT);
    expect(completeResponse(request, answer)).toBe(answer);
  });

  it('other responses pass through untouched and offer no text', () => {
    const request = new Request('http://localhost/mcp');
    const other = new Response('{}', { headers: { 'content-type': 'application/json' } });
    expect(completeResponse(request, other)).toBe(other);
    expect(jsonBodyText(other)).toBeUndefined();
    const empty = new Response(null, { status: 202 });
    expect(completeResponse(request, empty)).toBe(empty);
  });
});
