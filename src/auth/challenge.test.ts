import { describe, expect, it } from 'vitest';
import { authChallengeOf, formatChallenge, parseWwwAuthenticate } from './challenge.ts';

describe('parseWwwAuthenticate', () => {
  it('reads parameters in any order, quoted or not, with escapes', () => {
    expect(
      parseWwwAuthenticate(
        'Bearer scope="a b", resource_metadata="https://x/.well-known/oauth-protected-resource", error=invalid_token, error_description="say \\"hi\\""',
      ),
    ).toEqual([
      {
        scheme: 'bearer',
        params: {
          scope: 'a b',
          resource_metadata: 'https://x/.well-known/oauth-protected-resource',
          error: 'invalid_token',
          error_description: 'say "hi"',
        },
      },
    ]);
  });

  it('splits several challenges, with token68 and bare schemes', () => {
    const all = parseWwwAuthenticate('Basic abc==, Newauth, DPoP algs="ES256 PS256", Bearer realm="r"');
    expect(all.map((c) => c.scheme)).toEqual(['basic', 'newauth', 'dpop', 'bearer']);
    expect(all[0]?.token68).toBe('abc==');
    expect(all[2]?.params.algs).toBe('ES256 PS256');
    expect(all[3]?.params.realm).toBe('r');
  });

  it('returns nothing for an empty or missing header', () => {
    expect(parseWwwAuthenticate(null)).toEqual([]);
    expect(parseWwwAuthenticate('  ')).toEqual([]);
  });
});

describe('formatChallenge / authChallengeOf', () => {
  it('round-trips the parameters a client reads', () => {
    const header = formatChallenge('Bearer', {
      error: 'insufficient_scope',
      scope: 'mcp:read mcp:write',
      resource_metadata: 'https://h/.well-known/oauth-protected-resource/mcp',
      error_description: 'needs "write"',
      realm: undefined,
    });
    expect(header).not.toContain('realm');
    const response = new Response(null, { status: 403, headers: { 'www-authenticate': header } });
    expect(authChallengeOf(response)).toEqual({
      scheme: 'bearer',
      error: 'insufficient_scope',
      scope: 'mcp:read mcp:write',
      resourceMetadata: 'https://h/.well-known/oauth-protected-resource/mcp',
      errorDescription: 'needs "write"',
    });
  });

  it('falls back to a DPoP challenge', () => {
    const response = new Response(null, {
      status: 401,
      headers: { 'www-authenticate': 'DPoP error="use_dpop_nonce", resource_metadata="https://h/prm"' },
    });
    expect(authChallengeOf(response)).toMatchObject({ scheme: 'dpop', error: 'use_dpop_nonce' });
  });
});
