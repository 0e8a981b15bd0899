/**
 * McpClient over the Streamable HTTP client transport against the reference server behind
 * mcpkit's own HTTP handler (node:http): the 2026-07-28 wire end to end, and the legacy wire on the
 * same endpoint.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { McpClient } from '../src/client/index.ts';
import { createHttpHandler } from '../src/http/index.ts';
import { type HttpServerHandle, serveHttp } from '../src/node/index.ts';
import { createReferenceServer } from '../src/reference/index.ts';
import { StreamableHttpClientTransport } from '../src/transport/streamable-http.ts';

interface Seen {
  method: string;
  headers: Headers;
  body: string;
  /** Resolves when the client goes away before the answer is complete. */
  aborted: Promise<void>;
}

const open: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of open.splice(0).reverse()) await close().catch(() => {});
});

/** The reference server behind the HTTP handler, recording every request it gets. */
async function reference(): Promise<{ url: string; seen: Seen[] }> {
  const handler = createHttpHandler(createReferenceServer());
  const seen: Seen[] = [];
  const server: HttpServerHandle = await serveHttp(
    async (request) => {
      const body = request.method === 'POST' ? await request.clone().text() : '';
      const aborted = new Promise<void>((resolve) =>
        request.signal.addEventListener('abort', () => resolve(), { once: true }),
      );
      seen.push({ method: request.method, headers: request.headers, body, aborted });
      return handler(request);
    },
    { port: 0 },
  );
  open.push(
    () => server.close(),
    () => handler.close(),
  );
  return { url: `${server.url}/mcp`, seen };
}

async function connect(url: string, options: ConstructorParameters<typeof McpClient>[0] = {}) {
  const client = new McpClient(options);
  const transport = new StreamableHttpClientTransport(url);
  open.push(() => client.close());
  await client.connect(transport);
  return { client, transport };
}

const text = (r: { content: unknown[] }) => (r.content[0] as { text?: string }).text;

describe('McpClient over HTTP against the reference server (mcpkit HTTP handler)', () => {
  it('speaks 2026-07-28: no session, headers mirrored, x-mcp-header, MRTR, progress', async () => {
    const { url, seen } = await reference();
    const { client, transport } = await connect(url, {
      handlers: { elicitation: () => ({ action: 'accept', content: { name: 'Ada' } }) },
    });
    expect(client.era).toBe('modern');
    expect(text(await client.callTool('test_x_mcp_header', { region: 'us-west1' }))).toBe('Region: us-west1');
    expect(text(await client.callTool('test_input_required_result_elicitation'))).toBe('Hello, Ada!');
    const progress: number[] = [];
    await client.callTool('test_tool_with_progress', {}, { onprogress: (p) => progress.push(p.progress) });
    expect(progress).toEqual([0, 50, 100]);
    const [resource] = (await client.listResources()).resources;
    expect((await client.readResource(resource?.uri as string)).contents.length).toBeGreaterThan(0);
    expect(transport.sessionId).toBeUndefined();
    await client.close();

    expect(seen.map((s) => s.method)).toEqual(seen.map(() => 'POST'));
    for (const s of seen) {
      const body = JSON.parse(s.body) as { method: string; params: { name?: string; uri?: string } };
      expect(s.headers.get('mcp-protocol-version')).toBe('2026-07-28');
      expect(s.headers.get('mcp-method')).toBe(body.method);
      expect(s.headers.get('mcp-session-id')).toBeNull();
      if (body.method === 'tools/call') expect(s.headers.get('mcp-name')).toBe(body.params.name);
      if (body.method === 'resources/read') expect(s.headers.get('mcp-name')).toBe(body.params.uri);
    }
    const regionCall = seen.find((s) => s.headers.get('mcp-name') === 'test_x_mcp_header');
    expect(regionCall?.headers.get('mcp-param-region')).toBe('us-west1');
  });

  it('cancels a call by closing its POST: the server sees the client go away, no notifications/cancelled', async () => {
    const { url, seen } = await reference();
    const { client } = await connect(url);
    const controller = new AbortController();
    let first: () => void = () => {};
    const started = new Promise<void>((resolve) => {
      first = resolve;
    });
    const call = client.callTool(
      'test_long_operation',
      { seconds: 30 },
      {
        signal: controller.signal,
        onprogress: () => first(),
      },
    );
    await started;
    controller.abort();
    await expect(call).rejects.toThrow(/cancel/i);
    const post = seen.find((s) => s.body.includes('test_long_operation') && s.body.includes('tools/call'));
    expect(post).toBeDefined();
    await post?.aborted;
    expect(text(await client.callTool('test_simple_text'))).toBeTypeOf('string');
    expect(seen.some((s) => s.body.includes('notifications/cancelled'))).toBe(false);
  });

  it('speaks the legacy wire on the same endpoint when asked to', async () => {
    const { url } = await reference();
    const { client, transport } = await connect(url, { era: 'legacy' });
    expect(client.era).toBe('legacy');
    expect(transport.sessionId).toBeDefined();
    expect(text(await client.callTool('test_simple_text'))).toBeTypeOf('string');
  });
});
