/**
 * One request of a legacy revision (2024-11-05 … 2025-11-25) served without a session, as a
 * stateless HTTP server does: at the revision its transport names, with no client capabilities
 * known, no log level kept and no subscription kept. `initialize` answers (so a client can learn
 * the server) but opens nothing. It ends in the same dispatcher as a session's requests.
 */
import {
  type ClientCapabilities,
  ErrorCode,
  type InitializeResult,
  type LegacyRevision,
  McpError,
  MissingCapabilityError,
  negotiateVersion,
  type Params,
  type RequestId,
  shapeResult,
} from '../protocol/index.ts';
import type { InboundContext } from '../rpc/index.ts';
import { type ContextHost, RequestContext, type SessionInfo } from './context.ts';
import type { Dispatcher } from './dispatcher.ts';
import type { ModernWire } from './modern.ts';
import { readInitialize } from './session.ts';

type Result = Record<string, unknown>;

/** What serving a sessionless legacy request needs of the server. */
export interface StatelessHost {
  readonly dispatcher: Dispatcher;
  readonly supportedRevisions: readonly LegacyRevision[];
  initializeResult(revision: LegacyRevision): InitializeResult;
}

const NO_CAPABILITIES: ClientCapabilities = Object.freeze({}) as ClientCapabilities;

/** The handler context host of a sessionless legacy request. */
class StatelessScope implements ContextHost {
  readonly session: SessionInfo;
  readonly #wire: ModernWire;

  constructor(revision: LegacyRevision, wire: ModernWire) {
    this.session = { id: undefined, revision, clientInfo: undefined, clientCapabilities: NO_CAPABILITIES };
    this.#wire = wire;
  }

  /** No `logging/setLevel` outlives its request, so every level goes out. */
  shouldLog(): boolean {
    return true;
  }

  missingCapability(capability: string, message: string): Error {
    return new MissingCapabilityError(capability, message);
  }

  request<R extends Result>(method: string): Promise<R> {
    return Promise.reject(
      new McpError(
        ErrorCode.InternalError,
        `Cannot send '${method}' to the client: this server runs without sessions, so the client's answer has no way back. Serve HTTP with sessions to use sampling, elicitation or roots.`,
      ),
    );
  }

  notify(method: string, params: Result, relatedRequestId: RequestId): Promise<void> {
    return this.#wire.notify(method, params, relatedRequestId);
  }
}

/** Serves one request at `revision` (the transport's protocol version header) without a session. */
export async function serveStateless(
  host: StatelessHost,
  method: string,
  params: Params | undefined,
  inbound: InboundContext,
  wire: ModernWire,
  revision: string,
): Promise<Result> {
  if (method === 'initialize') {
    const negotiated = negotiateVersion(readInitialize(params).protocolVersion, host.supportedRevisions);
    return shapeResult('initialize', host.initializeResult(negotiated) as unknown as Result, negotiated);
  }
  if (method === 'ping') return {};
  const negotiated = negotiateVersion(revision, host.supportedRevisions);
  const ctx = new RequestContext(
    new StatelessScope(negotiated, wire),
    inbound.id,
    inbound,
    params?._meta,
    inbound.info,
  );
  const result = await host.dispatcher.dispatch(method, params, ctx, {}, negotiated);
  return shapeResult(method, result, negotiated);
}
