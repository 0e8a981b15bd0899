/**
 * One connection per contender, behind one small interface: the contender's own client (mcpkit's
 * McpClient, the official v1 and v2 Client, or the raw baseline) talking to its own server, over
 * stdio (the client spawns the server) or Streamable HTTP. Every answer is checked by the caller.
 */

import { Client as V2Client, StreamableHTTPClientTransport as V2Http } from '@modelcontextprotocol/client';
import { StdioClientTransport as V2Stdio } from '@modelcontextprotocol/client/stdio';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as V1Stdio } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport as V1Http } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpClient } from 'mcpkit/client';
import { StdioClientTransport as KitStdio } from 'mcpkit/node';
import { StreamableHttpClientTransport as KitHttp } from 'mcpkit/transport';
import { type Contender, type ProcessPolicy, pinProcess, serverArgv, serverEnv } from './proc.ts';
import { RawHttpConnection, type RawHttpFlavor, RawStdioConnection } from './raw-clients.ts';

/** What the scenarios do with a connection. */
export interface Connection {
  /** Calls `echo`; resolves with the text of the result's first content block. */
  echo(text: string): Promise<string>;
  /** Calls `big`; resolves with the text of the result. */
  big(tag: string): Promise<string>;
  /** Lists the tools (one page); resolves with their names. */
  listToolNames(): Promise<string[]>;
  /** Closes the connection (and, over stdio, ends the server). */
  close(): Promise<void>;
}

/** A stdio connection also knows its server's process id. */
export interface StdioConnection extends Connection {
  /** The server's process id. */
  readonly pid: number;
}

/** How a client talks over HTTP. */
export type HttpFlavor = 'stateless' | 'stateful' | 'modern';

/** The text of the first content block of a tool result; throws when it is not a text block. */
function firstText(result: object): string {
  const block = (
    (result as { content?: unknown }).content as Array<{ type?: string; text?: unknown }> | undefined
  )?.[0];
  if (block?.type !== 'text' || typeof block.text !== 'string') {
    throw new Error(`unexpected tool result: ${JSON.stringify(result).slice(0, 200)}`);
  }
  return block.text;
}

const CLIENT_INFO = { name: 'bench-client', version: '1.0.0' };

/** Wraps anything with an MCP-like `callTool`/`listTools` pair as a Connection. */
function wrap(
  call: (name: string, args: Record<string, unknown>) => Promise<object>,
  list: () => Promise<{ tools: Array<{ name: string }> }>,
  close: () => Promise<void>,
): Connection {
  return {
    echo: async (text) => firstText(await call('echo', { text })),
    big: async (tag) => firstText(await call('big', { tag })),
    listToolNames: async () => (await list()).tools.map((t) => t.name),
    close,
  };
}

function rawWrap(
  request: (method: string, params: object) => Promise<Record<string, unknown>>,
): Omit<Connection, 'close'> {
  return {
    echo: async (text) => firstText(await request('tools/call', { name: 'echo', arguments: { text } })),
    big: async (tag) => firstText(await request('tools/call', { name: 'big', arguments: { tag } })),
    listToolNames: async () =>
      ((await request('tools/list', {})).tools as Array<{ name: string }>).map((t) => t.name),
  };
}

/** Spawns a contender's stdio server with the contender's own client and initializes it. */
export async function connectStdio(
  contender: Contender,
  tools: number,
  policy: ProcessPolicy,
): Promise<StdioConnection> {
  const argv = serverArgv(contender, 'stdio', tools, policy);
  const env = serverEnv(contender);
  const pin = (pid: number | null | undefined) => {
    if (pid == null) throw new Error(`${contender}: the stdio transport has no child pid`);
    if (policy.serverCpu !== undefined) pinProcess(pid, policy.serverCpu);
    return pid;
  };
  switch (contender) {
    case 'raw': {
      const raw = RawStdioConnection.spawn(contender, tools, policy);
      await raw.initialize();
      return { ...rawWrap((m, p) => raw.request(m, p)), close: () => raw.close(), pid: raw.pid };
    }
    case 'mcpkit': {
      const transport = new KitStdio({ command: process.execPath, args: argv, env, stderr: 'inherit' });
      const client = new McpClient({ ...CLIENT_INFO, era: 'legacy' });
      await client.connect(transport);
      const conn = wrap(
        (name, args) => client.callTool(name, args),
        () => client.listTools(),
        () => client.close(),
      );
      return { ...conn, pid: pin(transport.pid) };
    }
    case 'v1': {
      const transport = new V1Stdio({ command: process.execPath, args: argv, env, stderr: 'inherit' });
      const client = new V1Client(CLIENT_INFO);
      await client.connect(transport);
      const conn = wrap(
        (name, args) => client.callTool({ name, arguments: args }),
        () => client.listTools(),
        () => client.close(),
      );
      return { ...conn, pid: pin(transport.pid) };
    }
    case 'v2': {
      const transport = new V2Stdio({ command: process.execPath, args: argv, env, stderr: 'inherit' });
      const client = new V2Client(CLIENT_INFO);
      await client.connect(transport);
      const conn = wrap(
        (name, args) => client.callTool({ name, arguments: args }),
        () => client.listTools(),
        () => client.close(),
      );
      return { ...conn, pid: pin(transport.pid) };
    }
  }
}

/** Connects the contender's own client to its HTTP server at `url` and initializes (or discovers). */
export async function connectHttp(
  contender: Contender,
  url: string,
  flavor: HttpFlavor,
): Promise<Connection> {
  switch (contender) {
    case 'raw': {
      const rawFlavor: RawHttpFlavor = flavor === 'stateful' ? 'stateful' : 'stateless';
      const raw = new RawHttpConnection(url, rawFlavor);
      if (flavor !== 'modern') await raw.initialize();
      // Like the SDKs' clients, a stateful session gets its standalone GET stream.
      if (flavor === 'stateful') await raw.openGetStream();
      return { ...rawWrap((m, p) => raw.request(m, p)), close: async () => raw.close() };
    }
    case 'mcpkit': {
      const client = new McpClient({ ...CLIENT_INFO, era: flavor === 'modern' ? 'modern' : 'legacy' });
      await client.connect(new KitHttp(new URL(url)));
      return wrap(
        (name, args) => client.callTool(name, args),
        () => client.listTools(),
        () => client.close(),
      );
    }
    case 'v1': {
      if (flavor === 'modern') throw new Error('the official SDK v1 does not speak 2026-07-28');
      const client = new V1Client(CLIENT_INFO);
      await client.connect(new V1Http(new URL(url)));
      return wrap(
        (name, args) => client.callTool({ name, arguments: args }),
        () => client.listTools(),
        () => client.close(),
      );
    }
    case 'v2': {
      const client = new V2Client(
        CLIENT_INFO,
        flavor === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {},
      );
      await client.connect(new V2Http(new URL(url)));
      return wrap(
        (name, args) => client.callTool({ name, arguments: args }),
        () => client.listTools(),
        () => client.close(),
      );
    }
  }
}
