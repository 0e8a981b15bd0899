import { describe, expect, it } from 'vitest';
import { jsonBodyText } from './beside.ts';
import { checkHostAndOrigin, DEFAULT_ALLOWED_HOSTS, splitHost } from './guard.ts';

/** A request as an adapter builds it: its URL made from the Host header. */
const req = (host: string, origin?: string) =>
  new Request(`http://${host}/mcp`, { headers: { host, ...(origin ? { origin } : {}) } });
const local = { allowedHosts: DEFAULT_ALLOWED_HOSTS, allowedOrigins: undefined };

describe('splitHost', () => {
  it('splits names, ports and bracketed IPv6', () => {
    expect(splitHost('LocalHost:3000')).toEqual({ name: 'localhost', port: '3000' });
    expect(splitHost('[::1]:8080')).toEqual({ name: '[::1]', port: '8080' });
    expect(splitHost('[::1]')).toEqual({ name: '[::1]', port: undefined });
    expect(splitHost('example.com')).toEqual({ name: 'example.com', port: undefined });
  });
});

describe('checkHostAndOrigin', () => {
  it('lets loopback hosts through on any port and refuses others with 403', async () => {
    for (const h of ['localhost', 'localhost:1', '127.0.0.1:3000', '[::1]:3000', 'LOCALHOST:9']) {
      expect(checkHostAndOrigin(req(h), local), h).toBeUndefined();
    }
    for (const h of ['evil.example.com', 'localhost.evil.com', '127.0.0.2', '[::2]:3000']) {
      const denied = checkHostAndOrigin(req(h), local);
      expect(denied?.status, h).toBe(403);
      expect(JSON.parse(jsonBodyText(denied as Response) ?? '')).toMatchObject({
        jsonrpc: '2.0',
        id: null,
        error: { code: -32000 },
      });
    }
  });

  it('matches a host entry with a port only on that port', () => {
    const policy = { allowedHosts: ['example.com:8443'], allowedOrigins: undefined };
    expect(checkHostAndOrigin(req('example.com:8443'), policy)).toBeUndefined();
    expect(checkHostAndOrigin(req('example.com:80'), policy)?.status).toBe(403);
  });

  it('allows a missing Origin, a same-origin one and one on an allowed host; refuses the rest', () => {
    expect(checkHostAndOrigin(req('localhost:3000'), local)).toBeUndefined();
    expect(checkHostAndOrigin(req('localhost:3000', 'http://localhost:3000'), local)).toBeUndefined();
    expect(checkHostAndOrigin(req('localhost:3000', 'http://127.0.0.1:5173'), local)).toBeUndefined();
    expect(checkHostAndOrigin(req('localhost:3000', 'http://evil.example.com'), local)?.status).toBe(403);
    expect(checkHostAndOrigin(req('localhost:3000', 'null'), local)?.status).toBe(403);
    const open = { allowedHosts: false as const, allowedOrigins: undefined };
    expect(checkHostAndOrigin(req('mcp.example.com', 'https://mcp.example.com'), open)).toBeUndefined();
    expect(checkHostAndOrigin(req('mcp.example.com', 'https://other.example.com'), open)?.status).toBe(403);
  });

  it('answers 400 to more than one Host header, even with the host check off (RFC 9112 section 3.2)', async () => {
    for (const policy of [local, { allowedHosts: false as const, allowedOrigins: false as const }]) {
      for (const hosts of [
        ['127.0.0.1:3000', 'evil.example.com'],
        ['evil.example.com', 'localhost'],
        ['localhost', 'localhost'],
      ]) {
        const headers = new Headers();
        for (const h of hosts) headers.append('host', h);
        const denied = checkHostAndOrigin(new Request('http://localhost/mcp', { headers }), policy);
        expect(denied?.status, hosts.join(' + ')).toBe(400);
        expect(JSON.parse(jsonBodyText(denied as Response) ?? '').error.message).toContain(
          'more than one Host header',
        );
      }
    }
  });

  it('checks the host of an absolute-form request target as well as the Host header', () => {
    const absolute = new Request('http://evil.example.com/mcp', { headers: { host: 'localhost:3000' } });
    const denied = checkHostAndOrigin(absolute, local);
    expect(denied?.status).toBe(403);
    expect(JSON.parse(jsonBodyText(denied as Response) ?? '').error.message).toContain(
      "Invalid host 'evil.example.com' in the request target",
    );
    const loopback = new Request('http://127.0.0.1:3000/mcp', { headers: { host: 'localhost:3000' } });
    expect(checkHostAndOrigin(loopback, local)).toBeUndefined();
  });

  it('compares listed origins after normalizing them', () => {
    const policy = { allowedHosts: false as const, allowedOrigins: ['HTTPS://App.Example.com:443/'] };
    expect(checkHostAndOrigin(req('x', 'https://app.example.com'), policy)).toBeUndefined();
    expect(checkHostAndOrigin(req('x', 'https://app.example.com:8443'), policy)?.status).toBe(403);
  });
});
