/**
 * What every benchmark server shares: its command line, the tools it offers (the same for every
 * contender), and the node:http listener with the `/__stats` side door the runner reads memory from.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How a server is run: over stdio, or over HTTP in one of three modes. */
export type ServerMode = 'stdio' | 'http-stateless' | 'http-stateful' | 'http-modern';

/** The parsed command line of a benchmark server. */
export interface ServerArgs {
  /** The transport and mode. */
  mode: ServerMode;
  /** Tools registered in all (at least `echo` and `big`; more are filler tools). */
  tools: number;
}

const MODES: readonly ServerMode[] = ['stdio', 'http-stateless', 'http-stateful', 'http-modern'];

/** Reads `<mode> [--tools N]` from the command line. */
export function parseServerArgs(argv: readonly string[] = process.argv.slice(2)): ServerArgs {
  const mode = argv[0] as ServerMode;
  if (!MODES.includes(mode)) throw new Error(`usage: <server>.ts ${MODES.join('|')} [--tools N]`);
  const at = argv.indexOf('--tools');
  const tools = at === -1 ? 2 : Number(argv[at + 1]);
  if (!Number.isInteger(tools) || tools < 2) throw new Error('--tools needs an integer of at least 2');
  return { mode, tools };
}

/** The size of the `big` tool's result text: 1 MiB. */
export const BIG_BYTES = 1024 * 1024;

const FILLER = 'x'.repeat(BIG_BYTES);

/** The text of the `big` tool's result: the tag, then filler up to exactly 1 MiB. */
export function bigText(tag: string): string {
  return tag + FILLER.slice(tag.length);
}

/** The name of filler tool number `i` (0-based, counting after `echo` and `big`). */
export function fillerName(i: number): string {
  return `search_${String(i).padStart(3, '0')}`;
}

/** The description of filler tool number `i`. */
export function fillerDescription(i: number): string {
  return `Searches collection ${i} for documents that match a query, newest first.`;
}

/** The JSON Schema of the filler tools' arguments (what the zod schema of the SDK servers describes). */
export const FILLER_JSON_SCHEMA = {
  type: 'object',
  properties: {
    query: { type: 'string', description: 'What to look for.' },
    limit: { type: 'integer', minimum: 1, maximum: 100, description: 'Most results to return.' },
    tags: { type: 'array', items: { type: 'string' }, description: 'Only documents with these tags.' },
  },
  required: ['query'],
} as const;

/** Server CPU and memory, as `/__stats` reports them. */
export interface ServerStats {
  /** User + system CPU time since start, µs. */
  cpuMicros: number;
  /** V8 heap in use, bytes (after a full GC when `?gc=1` and the server runs with --expose-gc). */
  heapUsed: number;
  /** Resident set size, bytes. */
  rss: number;
}

/** Collects this process's stats, after a full GC when asked and possible. */
export function collectStats(gc: boolean): ServerStats {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (gc && collect) {
    collect();
    collect();
  }
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  return { cpuMicros: cpu.user + cpu.system, heapUsed: memory.heapUsed, rss: memory.rss };
}

/** A node:http request listener. */
export type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Listens on a free loopback port with `listener` behind a `/__stats` route, prints `{"port":N}` on
 * stdout once listening, and exits cleanly on SIGTERM (so that `--cpu-prof` profiles get written).
 */
export function listenHttp(listener: Listener): void {
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/__stats')) {
      const body = JSON.stringify(collectStats(req.url.includes('gc=1')));
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
      return;
    }
    listener(req, res);
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo;
    process.stdout.write(`${JSON.stringify({ port })}\n`);
  });
  exitOnSignal();
}

/** Exits with code 0 on SIGTERM or SIGINT, so that profiles and coverage are flushed. */
export function exitOnSignal(): void {
  const exit = () => process.exit(0);
  process.once('SIGTERM', exit);
  process.once('SIGINT', exit);
}

/** Reads a node:http request body as text. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8');
}
