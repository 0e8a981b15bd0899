/**
 * The requests the page may make of the server, by name: each one a call of the McpClient with
 * the page's parameters checked first, its progress reported, and a way to cancel it.
 */
import type { CallOptions, McpClient } from '../../client/index.ts';
import { LOGGING_LEVELS, type LoggingLevel } from '../../protocol/index.ts';
import { UsageError } from '../errors.ts';

type Params = Record<string, unknown>;
type Operation = (client: McpClient, params: Params, options: CallOptions) => Promise<unknown>;

function text(params: Params, key: string): string {
  const value = params[key];
  if (typeof value !== 'string' || value === '') throw new UsageError(`'${key}' must be a non-empty string.`);
  return value;
}

function object(params: Params, key: string): Record<string, unknown> | undefined {
  const value = params[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`'${key}' must be a JSON object.`);
  }
  return value as Record<string, unknown>;
}

async function all<T>(pages: AsyncGenerator<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of pages) items.push(item);
  return items;
}

/** The operations, by the name the page uses (the JSON-RPC method they send). */
export const OPERATIONS: Readonly<Record<string, Operation>> = {
  ping: async (c, _p, o) => {
    await c.ping(o);
    return {};
  },
  'tools/list': async (c, _p, o) => ({ tools: await all(c.iterateTools(o)) }),
  'tools/call': (c, p, o) => c.callTool(text(p, 'name'), object(p, 'arguments') ?? {}, o),
  'resources/list': async (c, _p, o) => ({ resources: await all(c.iterateResources(o)) }),
  'resources/templates/list': async (c, _p, o) => ({
    resourceTemplates: await all(c.iterateResourceTemplates(o)),
  }),
  'resources/read': (c, p, o) => c.readResource(text(p, 'uri'), o),
  'resources/subscribe': async (c, p, o) => {
    await c.subscribeResource(text(p, 'uri'), o);
    return {};
  },
  'prompts/list': async (c, _p, o) => ({ prompts: await all(c.iteratePrompts(o)) }),
  'prompts/get': (c, p, o) =>
    c.getPrompt(text(p, 'name'), object(p, 'arguments') as Record<string, string> | undefined, o),
  'completion/complete': (c, p, o) => {
    const ref = object(p, 'ref');
    const argument = object(p, 'argument');
    if (!ref || !argument) throw new UsageError("'ref' and 'argument' are required.");
    const context = object(p, 'context');
    return c.complete(
      {
        ref: ref as never,
        argument: argument as never,
        ...(context ? { context: context as never } : {}),
      },
      o,
    );
  },
  'logging/setLevel': async (c, p, o) => {
    const level = text(p, 'level');
    if (!(LOGGING_LEVELS as readonly string[]).includes(level)) {
      throw new UsageError(`The level is one of ${LOGGING_LEVELS.join(', ')}, not '${level}'.`);
    }
    await c.setLoggingLevel(level as LoggingLevel, o);
    return {};
  },
};

/** The requests running now, by the page's call id, so that the page can cancel them. */
export class RunningCalls {
  readonly #calls = new Map<string, AbortController>();

  /** Runs operation `name`; `onProgress` hears its progress notifications. */
  async run(
    client: McpClient,
    name: string,
    params: Params,
    callId: string | undefined,
    onProgress: (progress: unknown) => void,
  ): Promise<unknown> {
    const operation = Object.hasOwn(OPERATIONS, name) ? OPERATIONS[name] : undefined;
    if (!operation) {
      throw new UsageError(`Unknown operation '${name}'; one of: ${Object.keys(OPERATIONS).join(', ')}.`);
    }
    const controller = new AbortController();
    if (callId !== undefined) {
      if (this.#calls.has(callId)) throw new UsageError(`Call id '${callId}' is already running.`);
      this.#calls.set(callId, controller);
    }
    try {
      return await operation(client, params, { signal: controller.signal, onprogress: onProgress });
    } finally {
      if (callId !== undefined) this.#calls.delete(callId);
    }
  }

  /** Cancels a running call; false when there is none by that id. */
  cancel(callId: string): boolean {
    const controller = this.#calls.get(callId);
    if (!controller) return false;
    controller.abort(new Error('Cancelled in the inspector.'));
    return true;
  }
}
