/**
 * The server a command talks to: a URL (Streamable HTTP, falling back to HTTP+SSE) or a command line
 * run as a child process (`--stdio`). Builds its transport, and records what was tried so that a
 * failure can say so.
 */
import { ProcessExitedError, StdioClientTransport } from '../node/index.ts';
import type { Transport } from '../rpc/index.ts';
import {
  AutoHttpClientTransport,
  type FetchLike,
  SseClientTransport,
  StreamableHttpClientTransport,
} from '../transport/index.ts';
import { type CommandLine, parseCommandLine } from './command-line.ts';
import { UsageError } from './errors.ts';

/** How to reach the server. */
export type Target =
  | { kind: 'url'; url: URL; text: string }
  | { kind: 'stdio'; line: CommandLine; text: string };

/** Options that say where the server is and how to talk to it. */
export interface TargetOptions {
  /** A command line that starts a stdio server. */
  stdio?: string;
  /** `KEY=VALUE` variables for the stdio server. */
  env?: string[];
  /** Working directory of the stdio server. */
  cwd?: string;
  /** `Name: value` headers for HTTP requests. */
  header?: string[];
  /** Which HTTP transport to use. */
  transport?: string;
  /** Show the stdio server's stderr as it comes. */
  verbose?: boolean;
}

/** One HTTP exchange made while connecting. */
export interface HttpAttempt {
  method: string;
  url: string;
  /** The status, or the network error. */
  outcome: string;
}

/** Resolves the positional target (or `--stdio`). */
export function resolveTarget(positional: string | undefined, options: TargetOptions): Target {
  if (options.stdio !== undefined) {
    if (positional !== undefined) {
      throw new UsageError(`Give either a URL or --stdio, not both (got '${positional}' and --stdio).`);
    }
    return { kind: 'stdio', line: parseCommandLine(options.stdio), text: options.stdio };
  }
  if (positional === undefined) {
    throw new UsageError('Which server? Give its URL (http://host:port/mcp) or --stdio "<command line>".');
  }
  let url: URL;
  try {
    url = new URL(positional);
  } catch {
    throw new UsageError(
      `'${positional}' is not a URL. Give the server's URL (http://host:port/mcp), or run a local server with --stdio "${positional}".`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`Only http: and https: URLs are supported, not '${url.protocol}'.`);
  }
  return { kind: 'url', url, text: url.href };
}

/** Parses `KEY=VALUE` words. */
export function parseEnv(words: readonly string[] = []): Record<string, string> {
  const env: Record<string, string> = {};
  for (const word of words) {
    const i = word.indexOf('=');
    if (i <= 0) throw new UsageError(`--env takes KEY=VALUE, got '${word}'.`);
    env[word.slice(0, i)] = word.slice(i + 1);
  }
  return env;
}

/** Parses `Name: value` headers. */
export function parseHeaders(words: readonly string[] = []): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const word of words) {
    const i = word.indexOf(':');
    const name = i > 0 ? word.slice(0, i).trim() : '';
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      throw new UsageError(`--header takes 'Name: value', got '${word}'.`);
    }
    headers[name] = word.slice(i + 1).trim();
  }
  return headers;
}

/** A transport to the target, plus what it tried. */
export interface TargetConnection {
  transport: Transport;
  /** HTTP exchanges made so far (URL targets). */
  attempts: HttpAttempt[];
  /** The stdio child's stderr tail, when it is one. */
  stderrTail(): string;
  /** How the stdio child ended ('exited with code 4'), once it has; else undefined. */
  exitDescription(): string | undefined;
  /** A short description: the URL and the HTTP transport chosen, or the command line. */
  describe(): string;
}

function recordingFetch(attempts: HttpAttempt[]): FetchLike {
  return async (input, init) => {
    const carried = methodIn(init?.body);
    const method = `${init?.method ?? 'GET'}${carried ? ` (${carried})` : ''}`;
    const url = String(input);
    try {
      const response = await fetch(input, init);
      attempts.push({ method, url, outcome: `HTTP ${response.status}` });
      return response;
    } catch (error) {
      attempts.push({ method, url, outcome: networkReason(error) });
      throw error;
    }
  };
}

/** The network reason behind a failed fetch: `connection refused (ECONNREFUSED)` and the like. */
export function networkReason(error: unknown): string {
  let e: unknown = error;
  for (let depth = 0; depth < 5 && e instanceof Error; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') {
      const known: Record<string, string> = {
        ECONNREFUSED: 'connection refused',
        ENOTFOUND: 'host not found',
        EAI_AGAIN: 'host name lookup failed',
        ECONNRESET: 'connection reset',
        ETIMEDOUT: 'timed out',
        EHOSTUNREACH: 'host unreachable',
        CERT_HAS_EXPIRED: 'certificate expired',
      };
      return `${known[code] ?? e.message} (${code})`;
    }
    if (e.name === 'AbortError') return 'aborted';
    if (!(e.cause instanceof Error)) return e.message;
    e = e.cause;
  }
  return error instanceof Error ? error.message : String(error);
}

/** The JSON-RPC method a request body carries, for the list of attempts. */
function methodIn(body: unknown): string | undefined {
  if (typeof body !== 'string') return undefined;
  try {
    const value = JSON.parse(body) as { method?: unknown };
    return typeof value.method === 'string' ? value.method : undefined;
  } catch {
    return undefined;
  }
}

/** What a transport needs for OAuth: the token headers, and what to do on 401/403. */
export interface TargetAuth {
  headers: () => Promise<Record<string, string>>;
  onUnauthorized: (response: Response) => Promise<boolean>;
}

/** Builds the transport for a target (with `auth`, URL targets send stored tokens and log in on 401). */
export function connectTarget(
  target: Target,
  options: TargetOptions,
  onStderr?: (text: string) => void,
  auth?: TargetAuth,
): TargetConnection {
  if (target.kind === 'stdio') {
    const { line } = target;
    const transport = new StdioClientTransport({
      command: line.command,
      args: line.args,
      env: { ...line.env, ...parseEnv(options.env) },
      cwd: options.cwd,
      stderr: 'pipe',
      onStderr,
      onError: () => {},
    });
    return {
      transport,
      attempts: [],
      stderrTail: () => transport.stderrTail,
      exitDescription: () =>
        transport.exitSignal !== null
          ? `was killed by signal ${transport.exitSignal}`
          : transport.exitCode !== null
            ? `exited with code ${transport.exitCode}`
            : undefined,
      describe: () => `stdio: ${target.text}`,
    };
  }
  const attempts: HttpAttempt[] = [];
  const fixed = parseHeaders(options.header);
  const httpOptions = {
    headers: auth
      ? async (): Promise<Record<string, string>> => ({ ...fixed, ...(await auth.headers()) })
      : fixed,
    ...(auth ? { onUnauthorized: auth.onUnauthorized } : {}),
    fetch: recordingFetch(attempts),
    onerror: () => {},
  };
  const kind = options.transport ?? 'auto';
  let transport: Transport;
  let describe: () => string;
  if (kind === 'sse') {
    transport = new SseClientTransport(target.url, httpOptions);
    describe = () => `${target.text} (HTTP+SSE)`;
  } else if (kind === 'streamable-http') {
    transport = new StreamableHttpClientTransport(target.url, httpOptions);
    describe = () => `${target.text} (Streamable HTTP)`;
  } else if (kind === 'auto') {
    const auto = new AutoHttpClientTransport(target.url, httpOptions);
    transport = auto;
    describe = () =>
      `${target.text} (${auto.kind === 'sse' ? 'HTTP+SSE' : auto.kind === 'streamable-http' ? 'Streamable HTTP' : 'HTTP'})`;
  } else {
    throw new UsageError(`--transport is auto, streamable-http or sse, not '${kind}'.`);
  }
  return { transport, attempts, stderrTail: () => '', exitDescription: () => undefined, describe };
}

/** The ProcessExitedError somewhere in an error's cause chain. */
export function exitOf(error: unknown): ProcessExitedError | undefined {
  let e: unknown = error;
  for (let depth = 0; depth < 5 && e instanceof Error; depth++) {
    if (e instanceof ProcessExitedError) return e;
    e = e.cause;
  }
  return undefined;
}
