/**
 * Pieces of the HTTP server tests for the stateless revision 2026-07-28: request bodies with the
 * `_meta` envelope, the headers a conforming client sends with them, and a raw node:http POST that
 * keeps header names and values exactly as given.
 */
import { request as httpRequest } from 'node:http';
import { POST_HEADERS } from './http-server-fixtures.ts';

/** The revision under test. */
export const MODERN = '2026-07-28';

/** A valid `_meta` envelope (empty client capabilities unless given). */
export function envelope(caps: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return {
    'io.modelcontextprotocol/protocolVersion': MODERN,
    'io.modelcontextprotocol/clientInfo': { name: 'raw-modern', version: '1.0.0' },
    'io.modelcontextprotocol/clientCapabilities': caps,
    ...extra,
  };
}

/** A 2026-07-28 request: `params` plus the envelope (unless params already carry `_meta`). */
export function modernBody(
  method: string,
  params: Record<string, unknown> = {},
  id: number | string = 1,
): Record<string, unknown> {
  return { jsonrpc: '2.0', id, method, params: { _meta: envelope(), ...params } };
}

/** The headers a conforming client sends with a body: version, Mcp-Method and Mcp-Name. */
export function modernHeaders(body: Record<string, unknown>): Record<string, string> {
  const headers: Record<string, string> = {
    ...POST_HEADERS,
    'mcp-protocol-version': MODERN,
    'mcp-method': String(body.method),
  };
  const params = (body.params ?? {}) as Record<string, unknown>;
  const name = body.method === 'resources/read' ? params.uri : params.name;
  if (['tools/call', 'prompts/get', 'resources/read'].includes(String(body.method))) {
    headers['mcp-name'] = String(name);
  }
  return headers;
}

/**
 * POSTs a 2026-07-28 request with the conforming headers; `headers` overrides them (a null value
 * removes one).
 */
export function modernPost(
  url: string,
  body: Record<string, unknown>,
  headers: Record<string, string | null> = {},
  signal?: AbortSignal,
): Promise<Response> {
  const all: Record<string, string> = modernHeaders(body);
  for (const [k, v] of Object.entries(headers)) {
    if (v === null) delete all[k];
    else all[k] = v;
  }
  return fetch(url, { method: 'POST', headers: all, body: JSON.stringify(body), signal });
}

/** An answer read by the raw client. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  contentType: string | undefined;
  text: string;
  json: Record<string, unknown> | undefined;
}

/** POSTs with node:http, sending header names and values byte for byte as given. */
export function rawPost(url: string, body: unknown, headers: Record<string, string>): Promise<RawAnswer> {
  const u = new URL(url);
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        hostname: u.hostname,
        port: u.port,
        path: u.pathname,
        method: 'POST',
        headers: { 'Content-Length': Buffer.byteLength(text), ...headers },
      },
      (res) => {
        res.setEncoding('utf8');
        let out = '';
        res.on('data', (chunk: string) => {
          out += chunk;
        });
        res.on('end', () => {
          let json: Record<string, unknown> | undefined;
          try {
            json = JSON.parse(out) as Record<string, unknown>;
          } catch {
            json = undefined;
          }
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            contentType: res.headers['content-type'],
            text: out,
            json,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

/** The JSON-RPC error of an answer body. */
export function errorOf(json: unknown): { code: number; message: string; data?: unknown } | undefined {
  return (json as { error?: { code: number; message: string; data?: unknown } } | undefined)?.error;
}
