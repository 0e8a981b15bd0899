/**
 * The official TypeScript SDK v2 client (`@modelcontextprotocol/client`), pinned to 2026-07-28, set up
 * to drive the reference server: input handlers (elicitation, sampling, roots) that the client calls
 * to fulfil `input_required` results, and a transport wrapper that records every message both ways.
 *
 * The wrapper hands the client one inbound message per macrotask, as if each came in its own read.
 * The SDK dispatches notifications a microtask late but responses at once, so a progress or log
 * notification that shares a read with its request's response would otherwise reach a handler the
 * response has already removed (modelcontextprotocol/typescript-sdk#2580); the order on the wire is
 * what the recording keeps.
 */
import { fileURLToPath } from 'node:url';
import { Client, type Transport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { checkJsonRpc } from './schema-check.ts';

/** The revision the client is pinned to. */
export const MODERN = '2026-07-28';

/** A JSON-RPC message as an open record. */
export type WireMessage = Record<string, unknown>;

/** The repository root, where `src/node/serve-stdio.ts` lives. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** What crossed a recorded transport, in order, and what the server wrote to stderr (stdio). */
export interface WireLog {
  /** Messages the client sent. */
  readonly sent: WireMessage[];
  /** Messages the server sent, as the SDK's transport parsed them. */
  readonly received: WireMessage[];
  /** The method of the request the client sent with `id`. */
  methodOf(id: unknown): string | undefined;
  /** What the server process wrote to stderr so far ('' over HTTP). */
  stderr(): string;
}

/** A transport that records its traffic. */
export type RecordedTransport = Transport & { readonly wire: WireLog };

type Handler = NonNullable<Transport['onmessage']>;

/**
 * Wraps `inner` so that every message is recorded and inbound ones are delivered one per macrotask.
 * With `inPlace`, the wrapper hides the SDK's stdio class, so that the client runs its
 * `server/discover` probe on this very connection (not on a sibling process) and the recording
 * holds the handshake too.
 */
export function recordTransport<T extends Transport>(inner: T, inPlace = false): T & RecordedTransport {
  const sent: WireMessage[] = [];
  const received: WireMessage[] = [];
  const methods = new Map<unknown, string>();
  let stderr = '';
  const errStream = (inner as { stderr?: NodeJS.ReadableStream | null }).stderr;
  errStream?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const wire: WireLog = {
    sent,
    received,
    methodOf: (id) => methods.get(id),
    stderr: () => stderr,
  };
  let handler: Handler | undefined;
  const queue: Array<() => void> = [];
  const drain = (): void => {
    queue[0]?.();
    queue.shift();
    if (queue.length > 0) setImmediate(drain);
  };
  const onInbound: Handler = (message, extra) => {
    received.push(structuredClone(message) as WireMessage);
    queue.push(() => handler?.(message, extra));
    if (queue.length === 1) setImmediate(drain);
  };
  const send: Transport['send'] = (message, options) => {
    const m = message as WireMessage;
    if (typeof m.method === 'string' && 'id' in m) methods.set(m.id, m.method);
    sent.push(structuredClone(message) as WireMessage);
    return inner.send(message, options);
  };
  return new Proxy(inner, {
    get(target, prop) {
      if (prop === 'wire') return wire;
      if (prop === 'send') return send;
      if (prop === 'onmessage') return handler;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
    set(target, prop, value) {
      if (prop !== 'onmessage') return Reflect.set(target, prop, value, target);
      handler = value as Handler | undefined;
      target.onmessage = value === undefined ? undefined : onInbound;
      return true;
    },
    getPrototypeOf(target) {
      return inPlace ? Object.prototype : Reflect.getPrototypeOf(target);
    },
  }) as T & RecordedTransport;
}

/** A recorded stdio transport that spawns the reference server with this very Node binary. */
export function referenceStdioTransport(): StdioClientTransport & RecordedTransport {
  const inner = new StdioClientTransport({
    command: process.execPath,
    args: ['src/node/serve-stdio.ts'],
    cwd: REPO_ROOT,
    stderr: 'pipe',
  });
  return recordTransport(inner, true);
}

/** The requests a modern client's input handlers were asked to answer, by method. */
export interface InputsSeen {
  readonly elicitation: WireMessage[];
  readonly sampling: WireMessage[];
  readonly roots: number;
}

/** The name the elicitation handler gives; the text the sampling handler answers. */
export const ANSWERS = { name: 'Grace', email: 'grace@example.com', model: 'interop-model', text: 'Paris' };

/** The roots the client offers. */
export const ROOTS = [{ uri: 'file:///work/project', name: 'project' }];

/**
 * An elicitation answer: accept, with each field's default, else a made-up value of its type for a
 * required field (`name` and `email` get the values in `ANSWERS`).
 */
export function answerForm(params: unknown): {
  action: 'accept';
  content: Record<string, string | number | boolean>;
} {
  const schema = ((params as WireMessage).requestedSchema ?? {}) as WireMessage;
  const properties = (schema.properties ?? {}) as Record<string, WireMessage>;
  const required = (schema.required ?? []) as string[];
  const content: Record<string, string | number | boolean> = {};
  for (const [name, field] of Object.entries(properties)) {
    if (field.default !== undefined) content[name] = field.default as string | number | boolean;
    else if (!required.includes(name)) continue;
    else if (field.type === 'boolean') content[name] = true;
    else if (field.type === 'number' || field.type === 'integer') content[name] = 1;
    else content[name] = name === 'name' ? ANSWERS.name : name === 'email' ? ANSWERS.email : 'grace';
  }
  return { action: 'accept', content };
}

/**
 * An official v2 client pinned to 2026-07-28 that declares elicitation (form), sampling and roots,
 * with handlers that answer them and count what they were asked.
 */
export function modernClient(name = 'sdk-v2-interop'): { client: Client; seen: InputsSeen } {
  const client = new Client(
    { name, version: '2.4.0' },
    {
      capabilities: { sampling: {}, elicitation: { form: {} }, roots: {} },
      versionNegotiation: { mode: { pin: MODERN } },
    },
  );
  const seen = { elicitation: [] as WireMessage[], sampling: [] as WireMessage[], roots: 0 };
  client.setRequestHandler('elicitation/create', async (request) => {
    seen.elicitation.push(request.params as WireMessage);
    return answerForm(request.params);
  });
  client.setRequestHandler('sampling/createMessage', async (request) => {
    seen.sampling.push(request.params as WireMessage);
    return {
      role: 'assistant',
      content: { type: 'text', text: ANSWERS.text },
      model: ANSWERS.model,
      stopReason: 'endTurn',
    };
  });
  client.setRequestHandler('roots/list', async () => {
    seen.roots++;
    return { roots: ROOTS };
  });
  return { client, seen };
}

/**
 * Checks every message the server sent on a recorded transport against the 2026-07-28 schema,
 * strictly (no properties the revision does not declare). One line per problem, naming the message.
 */
export function serverMessageProblems(wire: WireLog): string[] {
  const problems: string[] = [];
  for (const message of wire.received) {
    const method = 'method' in message ? undefined : wire.methodOf(message.id);
    const label = String(message.method ?? `response to ${method ?? 'an unknown request'}`);
    for (const p of checkJsonRpc(MODERN, message, 'server', { method })) problems.push(`${label}: ${p}`);
  }
  return problems;
}

/** The text blocks of a tool result, joined; other blocks as `[type]`. */
export function textOf(result: unknown): string {
  const blocks = ((result as WireMessage).content ?? []) as WireMessage[];
  return blocks.map((b) => (b.type === 'text' ? String(b.text) : `[${String(b.type)}]`)).join('\n');
}
