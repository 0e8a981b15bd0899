import { describe, expect, it } from 'vitest';
import { deferBodies, jsonAnswerFields, jsonBodyText } from './beside.ts';
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

  it('a JSON answer is made without a Response, yet reads as one; the adapter gets its fields plain', async () => {
    const answer = jsonResponse(429, TEXT, { 'retry-after': '5' });
    expect(answer).toBeInstanceOf(Response);
    expect([answer.status, answer.ok, answer.bodyUsed]).toEqual([429, false, false]);
    expect(answer.headers.get('content-type')).toBe('application/json');
    expect(answer.headers.get('retry-after')).toBe('5');
    expect(await answer.clone().json()).toEqual(JSON.parse(TEXT));
    expect(await answer.clone().text()).toBe(TEXT);
    expect(jsonAnswerFields(answer)).toEqual({ 'content-type': 'application/json', 'retry-after': '5' });
    expect(jsonAnswerFields(new Response('{}'))).toBeUndefined();
    // What leaves the handler for any other caller is a real Response.
    const complete = completeResponse(new Request('http://localhost/mcp'), answer);
    expect(jsonAnswerFields(complete)).toBeUndefined();
    expect(complete.headers.get('retry-after')).toBe('5');
    // Read once, as a body is.
    const once = jsonResponse(200, TEXT);
    expect(await once.text()).toBe(TEXT);
    expect(once.bodyUsed).toBe(true);
    expect(jsonBodyText(once)).toBeUndefined();
    await expect(once.text()).rejects.toThrow(TypeError);
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
