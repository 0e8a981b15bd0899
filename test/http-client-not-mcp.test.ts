/**
 * A client pointed at something that is not an MCP server, or at nothing at all, fails with a
 * LocalError that names the cause: the refused connection with host and port, the web page that
 * answered instead of MCP. Real sockets throughout.
 */
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpClient } from '../src/client/index.ts';
import { LocalError, McpError } from '../src/protocol/index.ts';
import {
  AutoHttpClientTransport,
  SseClientTransport,
  StreamableHttpClientTransport,
} from '../src/transport/index.ts';

const PAGE = '<!doctype html><html><head><title>Welcome to nginx!</title></head><body>Hi</body></html>';

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return `http://127.0.0.1:${address.port}`;
}

/** A port nothing listens on: bound once, then closed. */
async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function connectError(url: string, auto: boolean): Promise<Error> {
  const client = new McpClient({ name: 'newcomer', version: '1.0.0' });
  const target = new URL(url);
  const transport = auto ? new AutoHttpClientTransport(target) : new StreamableHttpClientTransport(target);
  try {
    await client.connect(transport);
  } catch (error) {
    return error as Error;
  } finally {
    await client.close().catch(() => {});
  }
  throw new Error(`connecting to ${url} succeeded`);
}

const servers: Server[] = [];
let htmlOk = '';
let htmlMissing = '';
let plain = '';

beforeAll(async () => {
  const ok = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE));
  const missing = createServer((_req, res) => res.writeHead(404, { 'content-type': 'text/html' }).end(PAGE));
  const text = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'text/plain' }).end('hello\n'),
  );
  servers.push(ok, missing, text);
  [htmlOk, htmlMissing, plain] = await Promise.all([listen(ok), listen(missing), listen(text)]);
});

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

for (const auto of [false, true]) {
  const kind = auto ? 'AutoHttpClientTransport' : 'StreamableHttpClientTransport';

  describe(`${kind} against something that is not an MCP server`, () => {
    it('reports a refused connection with its code, host and port, as a LocalError', async () => {
      const port = await closedPort();
      const error = await connectError(`http://127.0.0.1:${port}/mcp`, auto);
      expect(error).toBeInstanceOf(LocalError);
      expect(error.message).toContain(
        `failed: connection refused (ECONNREFUSED) at 127.0.0.1 port ${port}; is the server running`,
      );
      expect(error.message).not.toContain('fetch failed');
    });

    it('reports an HTML page answered with 200 by its title, not as an error the server sent', async () => {
      const error = await connectError(`${htmlOk}/mcp`, auto);
      expect(error).toBeInstanceOf(LocalError);
      expect(error).not.toBeInstanceOf(McpError);
      expect(error.message).toContain(
        'answered with Content-Type text/html (an HTML page titled "Welcome to nginx!"), neither ' +
          'application/json nor text/event-stream; this is not an MCP endpoint: check the URL',
      );
      expect(error.message).not.toContain('<html');
    });

    it('reports an HTML 404 page without its markup', async () => {
      const error = await connectError(`${htmlMissing}/mcp`, auto);
      expect(error).toBeInstanceOf(LocalError);
      expect(error.message).toContain(
        'answered HTTP 404 Not Found with an HTML page titled "Welcome to nginx!"; this is not an MCP endpoint',
      );
      expect(error.message).not.toContain('<html');
    });

    it('reports another content type with the start of its body', async () => {
      const error = await connectError(`${plain}/mcp`, auto);
      expect(error).toBeInstanceOf(LocalError);
      expect(error.message).toContain(
        'answered with Content-Type text/plain ("hello"), neither application/json',
      );
    });
  });
}

describe('SseClientTransport (HTTP+SSE) against something that is not an MCP server', () => {
  async function sseError(url: string): Promise<Error> {
    const client = new McpClient({ name: 'newcomer', version: '1.0.0', era: 'legacy' });
    try {
      await client.connect(new SseClientTransport(new URL(url)));
    } catch (error) {
      return error as Error;
    } finally {
      await client.close().catch(() => {});
    }
    throw new Error(`connecting to ${url} succeeded`);
  }

  it('reports a refused connection with its code, host and port, as a LocalError', async () => {
    const port = await closedPort();
    const error = await sseError(`http://127.0.0.1:${port}/sse`);
    expect(error).toBeInstanceOf(LocalError);
    expect(error.message).toContain(`connection refused (ECONNREFUSED) at 127.0.0.1 port ${port}`);
    expect(error.message).not.toContain('fetch failed');
  });

  it('reports an HTML page by its title, as a LocalError', async () => {
    const error = await sseError(`${htmlOk}/sse`);
    expect(error).toBeInstanceOf(LocalError);
    expect(error.message).toContain(
      'answered with Content-Type text/html (an HTML page titled "Welcome to nginx!"), not an SSE stream; this is not an HTTP+SSE MCP endpoint',
    );
    expect(error.message).not.toContain('<html');
  });
});
