/** The client's answers to server→client requests: sampling, elicitation, roots. */
import {
  type ClientCapabilities,
  type CreateMessageParams,
  type CreateMessageResult,
  type ElicitParams,
  type ElicitResult,
  ErrorCode,
  McpError,
  type Root,
} from '../protocol/index.ts';
import { applyDefaults } from '../schema/index.ts';

/** What a client-side handler receives besides the params. */
export interface ClientRequestContext {
  /** Aborted when the server cancels the request or the connection closes. */
  signal: AbortSignal;
}

/** Handlers for requests a server may send. Each one present declares its capability. */
export interface ClientHandlers {
  /** Answers `sampling/createMessage`. */
  sampling?: (
    params: CreateMessageParams,
    ctx: ClientRequestContext,
  ) => CreateMessageResult | Promise<CreateMessageResult>;
  /** Answers `elicitation/create`; schema defaults are filled into accepted form content. */
  elicitation?: (params: ElicitParams, ctx: ClientRequestContext) => ElicitResult | Promise<ElicitResult>;
  /** Answers `roots/list`. */
  roots?: (ctx: ClientRequestContext) => Root[] | Promise<Root[]>;
}

/** The capabilities implied by the handlers, merged with declared ones. */
export function capabilitiesFor(
  handlers: ClientHandlers,
  declared: ClientCapabilities | undefined,
): ClientCapabilities {
  const caps: ClientCapabilities = { ...declared };
  if (handlers.sampling) caps.sampling ??= {};
  if (handlers.elicitation) caps.elicitation ??= { form: {} };
  if (handlers.roots) caps.roots ??= { listChanged: true };
  return caps;
}

type Answer = Record<string, unknown>;
/** How the client answers one server→client method; undefined: it has no handler for it. */
type ClientMethodRow = (
  params: Record<string, unknown> | undefined,
  handlers: ClientHandlers,
  capabilities: ClientCapabilities,
  ctx: ClientRequestContext,
) => Promise<Answer> | Answer | undefined;

/** The client's half of the method table: a row per server→client method. */
const CLIENT_METHODS: Readonly<Record<string, ClientMethodRow>> = {
  ping: () => ({}),
  'sampling/createMessage': (params, handlers, capabilities, ctx) => {
    if (!handlers.sampling) return undefined;
    if ((params as { tools?: unknown } | undefined)?.tools !== undefined && !capabilities.sampling?.tools) {
      throw new McpError(
        ErrorCode.InvalidParams,
        'This client did not declare sampling.tools; send no tools.',
      );
    }
    return handlers.sampling(params as unknown as CreateMessageParams, ctx) as Promise<Answer>;
  },
  'elicitation/create': (params, handlers, capabilities, ctx) => {
    const elicit = handlers.elicitation;
    if (!elicit) return undefined;
    const p = params as unknown as ElicitParams;
    const mode = p?.mode ?? 'form';
    const declared = (capabilities.elicitation ?? {}) as Record<string, unknown>;
    const formOk = declared.form !== undefined || declared.url === undefined;
    if (
      (mode === 'url' && !declared.url) ||
      (mode === 'form' && !formOk) ||
      (mode !== 'url' && mode !== 'form')
    ) {
      throw new McpError(
        ErrorCode.InvalidParams,
        `This client did not declare elicitation mode '${String(mode)}'.`,
      );
    }
    return (async () => {
      const result = await elicit(p, ctx);
      if (mode === 'form' && result.action === 'accept' && p.mode !== 'url') {
        const schema = (p as { requestedSchema?: Record<string, unknown> }).requestedSchema;
        if (schema) {
          return { ...result, content: applyDefaults(schema, result.content) as ElicitResult['content'] };
        }
      }
      return result as Answer;
    })();
  },
  'roots/list': (_params, handlers, _capabilities, ctx) => {
    const roots = handlers.roots;
    if (!roots) return undefined;
    return (async () => ({ roots: await roots(ctx) }))();
  },
};

/** Answers one server→client request with the handlers. */
export async function answerServerRequest(
  method: string,
  params: Record<string, unknown> | undefined,
  handlers: ClientHandlers,
  capabilities: ClientCapabilities,
  ctx: ClientRequestContext,
): Promise<Record<string, unknown>> {
  const row = Object.hasOwn(CLIENT_METHODS, method) ? CLIENT_METHODS[method] : undefined;
  const answer = row?.(params, handlers, capabilities, ctx);
  if (answer !== undefined) return answer;
  throw new McpError(ErrorCode.MethodNotFound, `Method not found: this client does not handle '${method}'.`);
}
