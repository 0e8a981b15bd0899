/**
 * Progress reaches the official SDK clients whole, used as their users use them: their own
 * transports, no wrapper that spaces messages out. Those clients dispatch notifications a
 * microtask after responses and drop a request's progress handler with its response, so a last
 * progress notification read together with its result was lost (progress stopped at 50%).
 */
import {
  Client as V2Client,
  StreamableHTTPClientTransport as V2HttpTransport,
  SSEClientTransport as V2SseTransport,
} from '@modelcontextprotocol/client';
import { StdioClientTransport as V2StdioTransport } from '@modelcontextprotocol/client/stdio';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport as V1StdioTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpHandler, type HttpHandler } from '../src/http/index.ts';
import { type HttpServerHandle, serveHttp } from '../src/node/index.ts';
import { createReferenceServer } from '../src/reference/index.ts';
import { REPO_ROOT } from './support/sdk-client.ts';

const CALLS = 3;
const stdio = () => ({
  command: process.execPath,
  args: ['src/node/serve-stdio.ts'],
  cwd: REPO_ROOT,
  stderr: 'pipe' as const,
});

let handler: HttpHandler;
let http: HttpServerHandle;

beforeAll(async () => {
  handler = createHttpHandler(createReferenceServer());
  http = await serveHttp(handler, { port: 0 });
});

afterAll(async () => {
  await handler.close();
  await http.close();
});

/** Calls the progress tool `CALLS` times; resolves with the progress values each call saw. */
async function progressSeen(
  call: (onprogress: (p: { progress: number }) => void) => Promise<unknown>,
): Promise<number[][]> {
  const all: number[][] = [];
  for (let i = 0; i < CALLS; i++) {
    const seen: number[] = [];
    await call((p) => seen.push(p.progress));
    all.push(seen);
  }
  return all;
}

const WHOLE = Array.from({ length: CALLS }, () => [0, 50, 100]);
const TOOL = { name: 'test_tool_with_progress', arguments: {} };

describe('@modelcontextprotocol/sdk 1.32 client sees every progress notification', () => {
  it('over stdio', async () => {
    const client = new V1Client({ name: 'progress-v1', version: '1.0.0' });
    await client.connect(new V1StdioTransport(stdio()));
    try {
      expect(await progressSeen((onprogress) => client.callTool(TOOL, undefined, { onprogress }))).toEqual(
        WHOLE,
      );
    } finally {
      await client.close();
    }
  });

  it('over HTTP+SSE (2024-11-05)', async () => {
    const client = new V1Client({ name: 'progress-v1', version: '1.0.0' });
    await client.connect(new SSEClientTransport(new URL(`${http.url}/sse`)));
    try {
      expect(await progressSeen((onprogress) => client.callTool(TOOL, undefined, { onprogress }))).toEqual(
        WHOLE,
      );
    } finally {
      await client.close();
    }
  });
});

describe('@modelcontextprotocol/client (v2) sees every progress notification', () => {
  it('over HTTP+SSE (2024-11-05)', async () => {
    const client = new V2Client({ name: 'progress-v2', version: '1.0.0' });
    await client.connect(new V2SseTransport(new URL(`${http.url}/sse`)));
    try {
      expect(await progressSeen((onprogress) => client.callTool(TOOL, { onprogress }))).toEqual(WHOLE);
    } finally {
      await client.close();
    }
  });

  for (const pinned of [undefined, '2026-07-28'] as const) {
    const options = pinned === undefined ? {} : { versionNegotiation: { mode: { pin: pinned } } };
    const era = pinned ?? 'its default revision';

    it(`over stdio, ${era}`, async () => {
      const client = new V2Client({ name: 'progress-v2', version: '1.0.0' }, options);
      await client.connect(new V2StdioTransport(stdio()));
      try {
        expect(await progressSeen((onprogress) => client.callTool(TOOL, { onprogress }))).toEqual(WHOLE);
      } finally {
        await client.close();
      }
    });

    it(`over Streamable HTTP, ${era}`, async () => {
      const client = new V2Client({ name: 'progress-v2', version: '1.0.0' }, options);
      await client.connect(new V2HttpTransport(new URL(`${http.url}/mcp`)));
      try {
        expect(await progressSeen((onprogress) => client.callTool(TOOL, { onprogress }))).toEqual(WHOLE);
      } finally {
        await client.close();
      }
    });
  }
});
