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

/** Answers one server→client request with the handlers. */
export async function answerServerRequest(
  method: string,
  params: Record<string, unknown> | undefined,
  handlers: ClientHandlers,
  capabilities: ClientCapabilities,
  ctx: ClientRequestContext,
): Promise<Record<string, unknown>> {
  switch (method) {
    case 'ping':
      return {};
    case 'sampling/createMessage':
      if (!handlers.sampling) break;
      if ((params as { tools?: unknown } | undefined)?.tools !== undefined && !capabilities.sampling?.tools) {
        throw new McpError(
          ErrorCode.InvalidParams,
          'This client did not declare sampling.tools; send no tools.',
        );
      }
      return handlers.sampling(params as unknown as CreateMessageParams, ctx);
    case 'elicitation/create': {
      if (!handlers.elicitation) break;
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
      const result = await handlers.elicitation(p, ctx);
      if (mode === 'form' && result.action === 'accept' && p.mode !== 'url') {
        const schema = (p as { requestedSchema?: Record<string, unknown> }).requestedSchema;
        if (schema) {
          return { ...result, content: applyDefaults(schema, result.content) as ElicitResult['content'] };
        }
      }
      return result;
    }
    case 'roots/list':
      if (!handlers.roots) break;
      return { roots: await handlers.roots(ctx) };
  }
  throw new McpError(ErrorCode.MethodNotFound, `Method not found: this client does not handle '${method}'.`);
}
