import { describe, expect, it } from 'vitest';
import {
  authorizationServerMetadataUrls,
  canonicalResourceUri,
  protectedResourceMetadataUrls,
  resourceCovers,
} from './resource-uri.ts';
import { missingScopes, parseScopes, unionScopes } from './scopes.ts';

describe('canonicalResourceUri', () => {
  it('lowercases scheme and host, drops the trailing slash of a bare origin, keeps paths', () => {
    expect(canonicalResourceUri('HTTPS://MCP.Example.com/')).toBe('https://mcp.example.com');
    expect(canonicalResourceUri('https://mcp.example.com:8443')).toBe('https://mcp.example.com:8443');
    expect(canonicalResourceUri('https://mcp.example.com/server/mcp')).toBe(
      'https://mcp.example.com/server/mcp',
    );
  });

  it('refuses fragments, queries, relative and non-http URIs, naming the problem', () => {
    expect(() => canonicalResourceUri('https://mcp.example.com#f')).toThrow(/fragment/);
    expect(() => canonicalResourceUri('https://mcp.example.com/?a=1')).toThrow(/query/);
    // An empty query leaves URL.search empty but is still a query (found by the OAuth fuzz run).
    expect(() => canonicalResourceUri('https://mcp.example.com?')).toThrow(/query/);
    expect(() => canonicalResourceUri('https://mcp.example.com/mcp?')).toThrow(/query/);
    expect(() => canonicalResourceUri('mcp.example.com')).toThrow(/not an absolute URI/);
    expect(() => canonicalResourceUri('ftp://mcp.example.com')).toThrow(/https/);
  });
});

describe('well-known URLs', () => {
  it('tries the path-specific Protected Resource Metadata, then the root', () => {
    expect(protectedResourceMetadataUrls(new URL('https://h/public/mcp')).map(String)).toEqual([
      'https://h/.well-known/oauth-protected-resource/public/mcp',
      'https://h/.well-known/oauth-protected-resource',
    ]);
    expect(protectedResourceMetadataUrls(new URL('https://h/')).map(String)).toEqual([
      'https://h/.well-known/oauth-protected-resource',
    ]);
  });

  it('orders authorization server metadata as the spec does, with and without a path', () => {
    expect(authorizationServerMetadataUrls('https://as.example.com/tenant1').map(String)).toEqual([
      'https://as.example.com/.well-known/oauth-authorization-server/tenant1',
      'https://as.example.com/.well-known/openid-configuration/tenant1',
      'https://as.example.com/tenant1/.well-known/openid-configuration',
    ]);
    expect(authorizationServerMetadataUrls('https://as.example.com').map(String)).toEqual([
      'https://as.example.com/.well-known/oauth-authorization-server',
      'https://as.example.com/.well-known/openid-configuration',
    ]);
  });

  it('accepts a resource equal to the server or a parent path on the same origin', () => {
    const server = new URL('http://localhost:3000/mcp');
    expect(resourceCovers('http://localhost:3000/mcp', server)).toBe(true);
    expect(resourceCovers('http://localhost:3000', server)).toBe(true);
    expect(resourceCovers('http://localhost:3000/mc', server)).toBe(false);
    expect(resourceCovers('https://evil.example.com/mcp', server)).toBe(false);
    expect(resourceCovers('http://localhost:3001/mcp', server)).toBe(false);
  });
});

describe('scopes', () => {
  it('parses, unions and checks with a hierarchy', () => {
    expect(parseScopes(' a  b a ')).toEqual(['a', 'b']);
    expect(unionScopes('a b', ['b', 'c'], undefined)).toEqual(['a', 'b', 'c']);
    expect(missingScopes(['read'], ['read', 'write'])).toEqual(['write']);
    expect(missingScopes(['admin'], ['read', 'write'], { admin: ['write'], write: ['read'] })).toEqual([]);
  });
});

describe('redirectUriProblem / requireToolScopes', () => {
  it('accepts https and loopback http, refuses plain http elsewhere, fragments and script schemes', async () => {
    const { redirectUriProblem } = await import('./resource-uri.ts');
    expect(redirectUriProblem('https://app.example/cb', 'web')).toBeUndefined();
    expect(redirectUriProblem('http://127.0.0.1:9/cb', 'native')).toBeUndefined();
    expect(redirectUriProblem('com.example.app:/cb', 'native')).toBeUndefined();
    expect(redirectUriProblem('http://app.example/cb', 'web')).toMatch(/must use https/);
    expect(redirectUriProblem('https://app.example/cb#x', 'web')).toMatch(/fragment/);
    expect(redirectUriProblem('javascript:alert(1)', 'native')).toMatch(/forbidden scheme/);
  });

  it('builds per-tool scope requirements', async () => {
    const { requireToolScopes } = await import('./resource-server.ts');
    const required = requireToolScopes({ deploy: ['ops:write'] }, ['mcp:read']);
    expect(required('tools/call', { name: 'deploy' })).toEqual(['mcp:read', 'ops:write']);
    expect(required('tools/call', { name: 'other' })).toEqual(['mcp:read']);
    expect(required('tools/list', undefined)).toEqual(['mcp:read']);
  });
});
