/**
 * The server's half of the method table: a handler per client→server method of `protocol/`'s table.
 * Which era and revision a method exists in, and the capability it needs, are facts of that table;
 * this one only says what the server does. `initialize` and `ping` belong to the session itself.
 */
import {
  type ClientRequestMethod,
  type CompleteParams,
  ErrorCode,
  LOGGING_LEVELS,
  type LoggingLevel,
  McpError,
  type Params,
} from '../protocol/index.ts';
import type { Catalog } from './catalog.ts';
import type { RequestContext } from './context.ts';
import type { ModernWire } from './modern.ts';
import { getPrompt } from './prompts.ts';
import { callTool } from './tools.ts';

type Result = Record<string, unknown>;

/** What a request is served for: a session's client, or one stateless request. */
export interface Served {
  /** The legacy session, when there is one (subscriptions and log level live there). */
  readonly session?: {
    readonly subscriptions: Set<string>;
    logLevel: LoggingLevel | undefined;
  };
  /** How a stateless request sends its notifications (subscriptions/listen). */
  readonly wire?: ModernWire;
}

/** What the handlers reach of the server. */
export interface ServerCore {
  readonly catalog: Catalog;
  /** The result of `server/discover`. */
  discover(): Result;
  /** Serves `subscriptions/listen` until the client goes. */
  listen(params: Params, ctx: RequestContext, wire: ModernWire): Promise<Result>;
}

/** Serves one method. */
export type MethodRow = (
  core: ServerCore,
  p: Params,
  ctx: RequestContext,
  served: Served,
) => Result | Promise<Result>;

function requireResources(core: ServerCore, method: string): void {
  core.catalog.require(core.catalog.resources.size + core.catalog.templates.size > 0, method);
}

function subscription(method: string, p: Params): string {
  if (typeof p.uri !== 'string')
    throw new McpError(ErrorCode.InvalidParams, `${method} needs 'uri' (a string).`);
  return p.uri;
}

/** The handlers, by method. */
export const SERVER_METHODS: Readonly<
  Record<
    Exclude<ClientRequestMethod, 'initialize' | 'ping'> | 'server/discover' | 'subscriptions/listen',
    MethodRow
  >
> = {
  'server/discover': (core) => core.discover(),
  'subscriptions/listen': (core, p, ctx, served) => {
    if (!served.wire)
      throw new McpError(ErrorCode.MethodNotFound, "Method not found: 'subscriptions/listen'.");
    return core.listen(p, ctx, served.wire);
  },
  'tools/list': ({ catalog }, p) => {
    catalog.require(catalog.tools.size > 0, 'tools/list');
    return catalog.list(catalog.tools, 'tools', p.cursor, (e) => e.listed);
  },
  'tools/call': ({ catalog }, p, ctx) => {
    catalog.require(catalog.tools.size > 0, 'tools/call');
    if (typeof p.name !== 'string')
      throw new McpError(ErrorCode.InvalidParams, "tools/call needs 'name' (a string).");
    const entry = catalog.lookup(catalog.tools, p.name);
    if (!entry) throw new McpError(ErrorCode.InvalidParams, `Unknown tool '${p.name}'.`);
    return callTool(entry, p.arguments, ctx, ctx.session.revision) as Promise<Result>;
  },
  'resources/list': (core, p, ctx) => {
    requireResources(core, 'resources/list');
    return core.catalog.listResources(p.cursor, ctx);
  },
  'resources/templates/list': (core, p) => {
    requireResources(core, 'resources/templates/list');
    return core.catalog.list(core.catalog.templates, 'resourceTemplates', p.cursor, (e) => e.listed);
  },
  'resources/read': ({ catalog }, p, ctx) => catalog.readResource(p, ctx),
  'resources/subscribe': (core, p, _ctx, { session }) => {
    requireResources(core, 'resources/subscribe');
    session?.subscriptions.add(subscription('resources/subscribe', p));
    return {};
  },
  'resources/unsubscribe': (core, p, _ctx, { session }) => {
    requireResources(core, 'resources/unsubscribe');
    session?.subscriptions.delete(subscription('resources/unsubscribe', p));
    return {};
  },
  'prompts/list': ({ catalog }, p) => {
    catalog.require(catalog.prompts.size > 0, 'prompts/list');
    return catalog.list(catalog.prompts, 'prompts', p.cursor, (e) => e.listed);
  },
  'prompts/get': ({ catalog }, p, ctx) => {
    catalog.require(catalog.prompts.size > 0, 'prompts/get');
    if (typeof p.name !== 'string') throw new McpError(ErrorCode.InvalidParams, "prompts/get needs 'name'.");
    const entry = catalog.lookup(catalog.prompts, p.name);
    if (!entry) throw new McpError(ErrorCode.InvalidParams, `Unknown prompt '${p.name}'.`);
    return getPrompt(entry, p.arguments, ctx) as Promise<Result>;
  },
  'completion/complete': ({ catalog }, p) => catalog.complete(p as unknown as CompleteParams),
  'logging/setLevel': (_core, p, _ctx, { session }) => {
    if (!LOGGING_LEVELS.includes(p.level as LoggingLevel)) {
      throw new McpError(
        ErrorCode.InvalidParams,
        `Unknown logging level; use one of: ${LOGGING_LEVELS.join(', ')}.`,
      );
    }
    if (session) session.logLevel = p.level as LoggingLevel;
    return {};
  },
};
