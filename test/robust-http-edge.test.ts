/**
 * The HTTP edge against hostile requests on a real socket: repeated Host headers, absolute-form
 * request targets, and bodies that arrive too slowly or never in full.
 */
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { McpServer } from '../src/server/index.ts';
import { initializeBody, type Served, serve } from './http-server-fixtures.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function served(options: Parameters<typeof serve>[1] = {}): Promise<Served> {
  const server = new McpServer({ name: 'edge', version: '1.0.0', onError: () => {} });
  const s = await serve(server, options);
  closers.push(() => s.close());
  return s;
}

const BODY = JSON.stringify(initializeBody());

/** Writes raw bytes to the port and resolves with the status line and body of the answer. */
function rawExchange(port: number, head: string, body = BODY): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1', () => {
      socket.end(
        `${head}\r\ncontent-type: application/json\r\naccept: application/json, text/event-stream\r\n` +
          `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      );
    });
    let out = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (out += d));
    socket.on('error', reject);
    socket.on('close', () => {
      const status = Number(out.slice(9, 12));
      resolve({ status, text: out.slice(out.indexOf('\r\n\r\n') + 4) });
    });
  });
}

describe('Host header and request target', () => {
  it('answers 400 to two Host headers, in either order and when they agree', async () => {
    const s = await served();
    const port = s.server.port;
    for (const hosts of [
      [`127.0.0.1:${port}`, 'evil.example'],
      ['evil.example', `127.0.0.1:${port}`],
      ['localhost', 'localhost'],
    ]) {
      const r = await rawExchange(
        port,
        `POST /mcp HTTP/1.1\r\n${hosts.map((h) => `Host: ${h}`).join('\r\n')}`,
      );
      expect(r.status, hosts.join(' + ')).toBe(400);
      expect(r.text).toContain('more than one Host header');
    }
    const one = await rawExchange(port, `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}`);
    expect(one.status).toBe(200);
  });

  it('refuses an absolute-form target naming another host with 403; a loopback one is served', async () => {
    const s = await served();
    const port = s.server.port;
    const evil = await rawExchange(port, `POST http://evil.example/mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}`);
    expect(evil.status).toBe(403);
    expect(evil.text).toContain("Invalid host 'evil.example' in the request target");
    const userinfo = await rawExchange(
      port,
      `POST http://localhost@evil.example/mcp HTTP/1.1\r\nHost: localhost`,
    );
    expect(userinfo.status).toBe(403);
    const local = await rawExchange(
      port,
      `POST http://127.0.0.1:${port}/mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}`,
    );
    expect(local.status).toBe(200);
  });
});
