/**
 * The dispatcher: finds a request's handler in the method table (or among the methods added with
 * `McpServer.method()`) and runs it. Sessions and stateless exchanges both end here, so a handler
 * cannot tell them apart. It holds no transport, no correlation state and no timers.
 */
import {
  CLIENT_REQUEST_METHODS,
  methodExists,
  methodNotFound,
  type Params,
  type Revision,
} from '../protocol/index.ts';
import type { RequestContext } from './context.ts';
import { type MethodRow, SERVER_METHODS, type Served, type ServerCore } from './methods.ts';

type Result = Record<string, unknown>;

/** A handler of a request method added with `McpServer.method()`. */
export type MethodHandler = (
  params: Record<string, unknown>,
  ctx: RequestContext,
) => Result | Promise<Result>;

const ROWS: ReadonlyMap<string, MethodRow> = new Map(Object.entries(SERVER_METHODS));

/** Methods a server answers without a row of its own (the session's) or that no one may replace. */
const CORE_METHODS: ReadonlySet<string> = new Set([...CLIENT_REQUEST_METHODS, ...ROWS.keys()]);

/** Runs requests against the method table and the added methods. */
export class Dispatcher {
  readonly #core: ServerCore;
  readonly #custom = new Map<string, MethodHandler>();

  constructor(core: ServerCore) {
    this.#core = core;
  }

  /** Adds a method beyond the table; throws when the name is taken. */
  add(name: string, handler: MethodHandler): () => void {
    if (this.#custom.has(name) || CORE_METHODS.has(name)) {
      throw new Error(`The method '${name}' is already handled; remove the earlier registration first.`);
    }
    this.#custom.set(name, handler);
    return () => {
      if (this.#custom.get(name) === handler) this.#custom.delete(name);
    };
  }

  /** Whether a request method is served at a revision. */
  serves(method: string, revision: Revision): boolean {
    return ROWS.has(method) ? methodExists(method, revision) : this.#custom.has(method);
  }

  /** Serves a request; a method the revision lacks is -32601. */
  dispatch(
    method: string,
    params: Params | undefined,
    ctx: RequestContext,
    served: Served,
    revision: Revision,
  ): Promise<Result> {
    try {
      const row = ROWS.get(method);
      if (row !== undefined && methodExists(method, revision)) {
        return Promise.resolve(row(this.#core, params ?? {}, ctx, served));
      }
      const custom = row === undefined ? this.#custom.get(method) : undefined;
      if (custom !== undefined) return Promise.resolve(custom(params ?? {}, ctx));
      return Promise.reject(methodNotFound(method, revision));
    } catch (error) {
      return Promise.reject(error);
    }
  }
}
