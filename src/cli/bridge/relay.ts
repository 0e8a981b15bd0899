/**
 * The relay: both ends speak the same era, so messages pass through unchanged, except for what a
 * proxy must adapt: ids (each side has its own), the subscription ids of listen streams (they name
 * the upstream request), the relation of server messages to the client request they belong to, and
 * the `Mcp-Param-*` headers of modern tool calls over HTTP.
 */
import {
  ErrorCode,
  FEATURES,
  isRevision,
  type JsonRpcNotification,
  McpError,
  MetaKey,
  type Params,
  type RequestId,
} from '../../protocol/index.ts';
import type { InboundContext } from '../../rpc/index.ts';
import { subscriptionIdOf, withSubscriptionId } from './envelope.ts';
import type { Call, Front, Link } from './link.ts';
import { forwardedParamHeaders, ToolHeaders } from './tool-headers.ts';

type Result = Record<string, unknown>;

/** Notifications that belong to the request being served, not to the session. */
const REQUEST_SCOPED = new Set(['notifications/message', 'notifications/progress']);

/** Relays messages between two ends of the same era. */
export class RelayFront implements Front {
  readonly #link: Link;
  #revision: string | undefined;
  readonly #listens = new Map<RequestId, Call>();
  readonly #headers = new ToolHeaders();

  constructor(link: Link, revision: string | undefined) {
    this.#link = link;
    this.#revision = revision;
  }

  get description(): string {
    return `relay${this.#revision ? ` (${this.#revision})` : ''}`;
  }

  acceptBatches(): boolean {
    const revision = this.#revision;
    return isRevision(revision) && FEATURES[revision].batching;
  }

  async request(call: Call): Promise<Result> {
    const forwarded = call.method === 'tools/call' ? forwardedParamHeaders(call.info) : undefined;
    const computed =
      call.method === 'tools/call' && !forwarded ? this.#headers.headersFor(call.params) : undefined;
    const { id, result } = this.#link.send(call.method, call.params, {
      signal: call.signal,
      headers: forwarded ?? computed,
    });
    const listen = call.method === 'subscriptions/listen';
    if (listen) this.#listens.set(id, call);
    try {
      let r: Result;
      try {
        r = await result;
      } catch (error) {
        if (!(error instanceof McpError) || error.code !== ErrorCode.HeaderMismatch || forwarded) throw error;
        // The server mirrors tool parameters in headers the bridge did not know about: learn them, retry once.
        await this.#learnTools(call.params);
        r = await this.#link.request(call.method, call.params, {
          signal: call.signal,
          headers: this.#headers.headersFor(call.params),
        });
      }
      if (call.method === 'tools/list') this.#headers.remember(r);
      if (call.method === 'initialize' && typeof r.protocolVersion === 'string')
        this.#revision = r.protocolVersion;
      if (listen && subscriptionIdOf(r as Params) !== undefined) r = withSubscriptionId(r as Params, call.id);
      return r;
    } finally {
      if (listen) this.#listens.delete(id);
    }
  }

  async #learnTools(params: Params | undefined): Promise<void> {
    const meta = params?._meta as Record<string, unknown> | undefined;
    const envelope: Record<string, unknown> = {};
    for (const key of Object.values(MetaKey)) if (meta && key in meta) envelope[key] = meta[key];
    let cursor: unknown;
    do {
      const page: Result = await this.#link.request(
        'tools/list',
        cursor === undefined ? { _meta: envelope } : { _meta: envelope, cursor },
      );
      this.#headers.remember(page);
      cursor = page.nextCursor;
    } while (typeof cursor === 'string');
  }

  notification(n: JsonRpcNotification): void {
    this.#link.up.notify(n.method, n.params).catch(() => {});
  }

  serverRequest(method: string, params: Params | undefined, ctx: InboundContext): Promise<Result> {
    const call = this.#link.likelyCall();
    const peer = call?.peer ?? this.#link.primary;
    if (!peer) {
      return Promise.reject(
        new McpError(
          ErrorCode.MethodNotFound,
          `No client is connected through the bridge to answer '${method}'.`,
        ),
      );
    }
    return this.#link.ask(peer, method, params, { signal: ctx.signal, relatedRequestId: call?.id });
  }

  serverNotification(n: JsonRpcNotification): void {
    const params = n.params;
    let call: Call | undefined;
    let out = params;
    const subscription = subscriptionIdOf(params);
    if (subscription !== undefined && params) {
      call = this.#listens.get(subscription as RequestId);
      if (!call) return;
      out = withSubscriptionId(params, call.id);
    } else if (n.method === 'notifications/progress') {
      call = this.#link.byToken(params?.progressToken);
    } else if (REQUEST_SCOPED.has(n.method)) {
      call = this.#link.likelyCall();
    }
    const peer = call?.peer ?? this.#link.primary;
    peer?.notify(n.method, out, call ? { relatedRequestId: call.id } : undefined).catch(() => {});
  }
}
