import { describe, expect, it } from 'vitest';
import { jsonBodyText, jsonResponse } from './reply.ts';

describe('jsonBodyText: the side channel a server adapter writes JSON answers through', () => {
  it('gives the text of an unread jsonResponse, and nothing once read or for other responses', async () => {
    const answer = jsonResponse(200, '{"jsonrpc":"2.0","id":1,"result":{}}');
    expect(jsonBodyText(answer)).toBe('{"jsonrpc":"2.0","id":1,"result":{}}');
    await answer.text();
    expect(jsonBodyText(answer)).toBeUndefined();
    expect(
      jsonBodyText(new Response('{}', { headers: { 'content-type': 'application/json' } })),
    ).toBeUndefined();
  });
});
