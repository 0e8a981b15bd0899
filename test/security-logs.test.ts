/**
 * No secrets in logs or error answers: a bearer token and a cookie sent to the HTTP handler never
 * appear in any answer body, header, or in what the handler and the server report through onError,
 * whatever goes wrong; and a client's error for a failed HTTP request does not carry its token.
 */
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { McpClient } from '../src/client/index.ts';
import { McpServer } from '../src/server/index.ts';
import { StreamableHttpClientTransport } from '../src/transport/index.ts';
import {
  callTool,
  openSession,
  POST_HEADERS,
  post,
  readEvents,
  type Served,
  serve,
} from './http-server-fixtures.ts';

const TOKEN = 'tok_LOGSECRET_9f8e7d';
const COOKIE = 'sid=COOKIESECRET_1a2b';
let reported: string[];
let s: Served;

beforeEach(async () => {
  reported = [];
  const report = (e: Error) => reported.push(`${e.name}: ${e.message} ${String(e.stack)}`);
  const server = new McpServer({ name: 'quiet', version: '1.0.0', onError: report });
  server.tool('boom', {}, () => {
    throw new Error('the backend refused the request');
  });
  s = await serve(server, { maxBodyBytes: 512, onError: report });
});
afterEach(async () => {
  await s.close();
});

/** A raw request (so that Host can be forged); resolves with status, headers and body text. */
function raw(method: string, path: string, headers: Record<string, string>, body?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: s.server.port, method, path, headers }, (res) => {
      let text = `${res.statusCode} ${JSON.stringify(res.headers)} `;
      res.setEncoding('utf8');
      res.on('data', (t: string) => {
        text += t;
      });
      res.on('end', () => resolve(text));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('no secrets in answers or reports', () => {
  it('no error answer of the handler, nor anything it reports, carries the token or the cookie', async () => {
    const secrets = { authorization: `Bearer ${TOKEN}`, cookie: COOKIE };
    const { headers } = await openSession(s.url);
    const answers: string[] = [];
    const base = { ...POST_HEADERS, ...secrets, host: `127.0.0.1:${s.server.port}` };
    answers.push(await raw('POST', '/mcp', { ...base, host: 'evil.example' }, '{}'));
    answers.push(await raw('POST', '/mcp', { ...base, origin: 'http://evil.example' }, '{}'));
    answers.push(await raw('POST', '/mcp', { ...base, accept: 'text/html' }, '{}'));
    answers.push(await raw('POST', '/mcp', { ...base, 'content-type': 'text/plain' }, '{}'));
    answers.push(
      await raw('POST', '/mcp', base, `{"jsonrpc":"2.0","id":1,"method":"x","params":"${'a'.repeat(600)}"}`),
    );
    answers.push(await raw('POST', '/mcp', base, '{not json'));
    answers.push(
      await raw(
        'POST',
        '/mcp',
        { ...base, 'mcp-session-id': 'no-such-session' },
        '{"jsonrpc":"2.0","id":1,"method":"ping"}',
      ),
    );
    answers.push(await raw('POST', '/nowhere', base, '{}'));
    answers.push(await raw('PUT', '/mcp', base, '{}'));
    const res = await post(s.url, callTool(5, 'boom'), { ...headers, ...secrets });
    answers.push(JSON.stringify((await readEvents(res)).events));
    const all = answers.join('\n') + reported.join('\n');
    expect(answers.filter((a) => /^(4|5)\d\d /.test(a)).length).toBeGreaterThanOrEqual(9);
    expect(all).not.toContain('LOGSECRET');
    expect(all).not.toContain('COOKIESECRET');
  });

  it('a client’s error for a failed HTTP request does not carry its bearer token', async () => {
    const failing = createServer((_req, res) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('upstream exploded');
    });
    await new Promise<void>((r) => failing.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(failing.address() as AddressInfo).port}/mcp`;
    const client = new McpClient({ era: 'legacy' });
    try {
      const error = (await client
        .connect(new StreamableHttpClientTransport(url, { headers: { authorization: `Bearer ${TOKEN}` } }))
        .catch((e: unknown) => e)) as Error;
      expect(error).toBeInstanceOf(Error);
      expect(`${error.message} ${String(error.stack)} ${JSON.stringify(error)}`).not.toContain('LOGSECRET');
    } finally {
      await client.close().catch(() => {});
      await new Promise<void>((r) => failing.close(() => r()));
    }
  });
});
