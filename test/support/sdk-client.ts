/**
 * Drives the reference server over stdio with the official TypeScript SDK's client, pinned to one
 * revision. SDK 1.32.2 always asks for its newest revision in `initialize` and has no option to
 * choose another, so a transport wrapper rewrites that one field before it is sent; the SDK accepts
 * any answer among its supported revisions. The wrapper also records every message both ways, every
 * raw line the server wrote to stdout, its stderr, and how the process ended.
 *
 * It hands the SDK one message per macrotask, as if each came in its own read. SDK 1.32.2 dispatches
 * notifications a microtask late but responses at once, so a progress notification that shares a
 * read with its request's response reaches a handler the response has already removed
 * (modelcontextprotocol/typescript-sdk#2580); the order on the wire is checked separately.
 */
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import { type JSONRPCMessage, McpError, type MessageExtraInfo } from '@modelcontextprotocol/sdk/types.js';
import type { LegacyRevision } from '../../src/protocol/revisions.ts';
import { checkJsonRpc } from './schema-check.ts';

/** How the server process ended. */
export interface ProcessExit {
  /** The exit code, or null when a signal ended it. */
  readonly code: number | null;
  /** The signal that ended it, if any. */
  readonly signal: NodeJS.Signals | null;
}

/** A JSON-RPC message as an open record, for reading fields the SDK's types do not name. */
export type WireMessage = Record<string, unknown>;

/** The repository root, where `src/node/serve-stdio.ts` lives. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * A Transport for the SDK client around its StdioClientTransport: pins the revision asked for in
 * `initialize` and records what crosses the wire.
 */
export class PinnedStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => void;
  /** The revision written into `initialize`. */
  readonly revision: LegacyRevision;
  /** Messages the client sent, as sent (after pinning). */
  readonly sent: WireMessage[] = [];
  /** Messages the server sent, as the SDK's transport parsed them. */
  readonly received: WireMessage[] = [];
  /** Every complete line the server wrote to stdout, as text. */
  readonly stdoutLines: string[] = [];
  /** Errors the SDK's transport reported (a stdout line that is not JSON-RPC lands here). */
  readonly errors: Error[] = [];
  /** Resolves when the server process has exited. */
  readonly exited: Promise<ProcessExit>;
  readonly #inner: StdioClientTransport;
  readonly #methods = new Map<string | number, string>();
  readonly #decoder = new TextDecoder();
  readonly #stderrDecoder = new TextDecoder();
  readonly #deliveries: Array<() => void> = [];
  #stdoutTail = '';
  #stderr = '';
  #resolveExit: (exit: ProcessExit) => void = () => {};

  constructor(revision: LegacyRevision, inner: StdioClientTransport) {
    this.revision = revision;
    this.#inner = inner;
    this.exited = new Promise((resolve) => {
      this.#resolveExit = resolve;
    });
  }

  /** What the server wrote to stderr so far. */
  get stderr(): string {
    return this.#stderr;
  }

  /** The method of the request the client sent with `id`. */
  methodOf(id: unknown): string | undefined {
    return typeof id === 'string' || typeof id === 'number' ? this.#methods.get(id) : undefined;
  }

  /** The server's responses to the client's requests of `method`. */
  responsesTo(method: string): WireMessage[] {
    return this.received.filter((m) => !('method' in m) && this.methodOf(m.id) === method);
  }

  /** The notifications the server sent with `method`. */
  notifications(method: string): WireMessage[] {
    return this.received.filter((m) => m.method === method && !('id' in m));
  }

  async start(): Promise<void> {
    const inner = this.#inner;
    inner.onmessage = <T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => {
      this.received.push(structuredClone(message) as WireMessage);
      this.#deliver(() => this.onmessage?.(message, extra));
    };
    inner.onerror = (error) => {
      this.errors.push(error);
      this.onerror?.(error);
    };
    inner.onclose = () => this.#deliver(() => this.onclose?.());
    inner.stderr?.on('data', (chunk: Uint8Array) => {
      this.#stderr += this.#stderrDecoder.decode(chunk, { stream: true });
    });
    await inner.start();
    // SDK 1.32.2 keeps its child process private; its exit code and raw stdout are only reachable there.
    const child = (inner as unknown as { _process?: ChildProcess })._process;
    if (child?.stdout == null) {
      throw new Error('StdioClientTransport no longer keeps its child in `_process`; update this wrapper.');
    }
    child.once('exit', (code, signal) => this.#resolveExit({ code, signal }));
    child.stdout.on('data', (chunk: Uint8Array) => this.#onStdout(chunk));
  }

  async send(message: JSONRPCMessage, _options?: TransportSendOptions): Promise<void> {
    let out = message;
    if ('method' in message && 'id' in message) {
      this.#methods.set(message.id, message.method);
      if (message.method === 'initialize') {
        out = { ...message, params: { ...message.params, protocolVersion: this.revision } };
      }
    }
    this.sent.push(structuredClone(out) as WireMessage);
    return this.#inner.send(out);
  }

  close(): Promise<void> {
    return this.#inner.close();
  }

  /** Runs `fn` in a later macrotask, after every delivery queued before it. */
  #deliver(fn: () => void): void {
    this.#deliveries.push(fn);
    if (this.#deliveries.length === 1) setImmediate(this.#drain);
  }

  readonly #drain = (): void => {
    this.#deliveries[0]?.();
    this.#deliveries.shift();
    if (this.#deliveries.length > 0) setImmediate(this.#drain);
  };

  #onStdout(chunk: Uint8Array): void {
    const lines = (this.#stdoutTail + this.#decoder.decode(chunk, { stream: true })).split('\n');
    this.#stdoutTail = lines.pop() ?? '';
    this.stdoutLines.push(...lines);
  }

  /** The messages on stdout, parsed from the raw lines (lines that are not JSON are skipped). */
  rawMessages(): WireMessage[] {
    const out: WireMessage[] = [];
    for (const line of this.stdoutLines) {
      try {
        out.push(JSON.parse(line) as WireMessage);
      } catch {
        // nonJsonRpcLines() reports it.
      }
    }
    return out;
  }

  /** Lines of stdout that are not one JSON-RPC 2.0 message each (the trailing partial line included). */
  nonJsonRpcLines(): string[] {
    const lines = this.#stdoutTail === '' ? this.stdoutLines : [...this.stdoutLines, this.#stdoutTail];
    return lines.filter((line) => {
      try {
        const value = JSON.parse(line) as unknown;
        return typeof value !== 'object' || value === null || (value as WireMessage).jsonrpc !== '2.0';
      } catch {
        return true;
      }
    });
  }
}

/**
 * A pinned transport that spawns the reference server (`src/node/serve-stdio.ts`) with this very
 * Node binary, stderr captured.
 */
export function referenceServerTransport(revision: LegacyRevision): PinnedStdioTransport {
  const inner = new StdioClientTransport({
    command: process.execPath,
    args: ['src/node/serve-stdio.ts'],
    cwd: REPO_ROOT,
    stderr: 'pipe',
  });
  return new PinnedStdioTransport(revision, inner);
}

/**
 * Checks every message the server wrote to stdout, as written, against the schema of the transport's
 * revision (strictly: no properties the revision does not declare). Returns one line per problem,
 * each naming the message.
 */
export function serverMessageProblems(transport: PinnedStdioTransport): string[] {
  const problems: string[] = [];
  for (const message of transport.rawMessages()) {
    const method = 'method' in message ? undefined : transport.methodOf(message.id);
    const label = String(message.method ?? `response to ${method ?? 'an unknown request'}`);
    for (const p of checkJsonRpc(transport.revision, message, 'server', { method })) {
      problems.push(`${label}: ${p}`);
    }
  }
  return problems;
}

/** The text blocks of a tool result, joined; other blocks as `[type]`. */
export function textOf(result: unknown): string {
  const blocks = ((result as WireMessage).content ?? []) as WireMessage[];
  return blocks.map((b) => (b.type === 'text' ? String(b.text) : `[${String(b.type)}]`)).join('\n');
}

/** The McpError `promise` rejects with; fails when it resolves or rejects with anything else. */
export async function mcpErrorOf(promise: Promise<unknown>): Promise<McpError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof McpError) return error;
    throw error;
  }
  throw new Error('expected the request to fail with an McpError, but it succeeded');
}

/**
 * An elicitation handler's answer: accept, with each field's default and a made-up value for each
 * required field without one.
 */
export function acceptWithDefaults(params: unknown): {
  action: 'accept';
  content: Record<string, string | number | boolean>;
} {
  const schema = ((params as WireMessage).requestedSchema ?? {}) as WireMessage;
  const properties = (schema.properties ?? {}) as Record<string, WireMessage>;
  const required = (schema.required ?? []) as string[];
  const content: Record<string, string | number | boolean> = {};
  for (const [name, field] of Object.entries(properties)) {
    if (field.default !== undefined) content[name] = field.default as string | number | boolean;
    else if (required.includes(name)) content[name] = name === 'email' ? 'ada@example.com' : 'ada';
  }
  return { action: 'accept', content };
}
