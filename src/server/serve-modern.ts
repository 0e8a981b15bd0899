/**
 * One request of the stateless revision 2026-07-28, from its envelope to its result: admitted, its
 * earlier rounds' answers gathered, served by the dispatcher with the envelope standing in for a
 * session, and finished as `complete` (with caching hints) or `input_required`.
 */
import {
  type CacheScope,
  MetaKey,
  methodFacts,
  type Params,
  type RequestEnvelope,
  readEnvelope,
} from '../protocol/index.ts';
import type { InboundContext } from '../rpc/index.ts';
import { RequestContext } from './context.ts';
import type { Dispatcher } from './dispatcher.ts';
import { admitModern, gatherAnswers, inputRequiredResult, ModernScope, type ModernWire } from './modern.ts';
import type { RequestStateCodec } from './request-state.ts';

type Result = Record<string, unknown>;

/** What serving a modern request needs of the server. */
export interface ModernHost {
  readonly dispatcher: Dispatcher;
  readonly codec: RequestStateCodec;
  /** The versions an unsupported-version error lists. */
  readonly versions: readonly string[];
  /** The server's name and version, sent in every result's `_meta`. */
  readonly serverInfo: { name: string; version: string };
  readonly cache: { ttlMs?: number; listScope?: CacheScope; readScope?: CacheScope } | undefined;
}

/** Serves one modern request; `envelope` when the transport has read it already. */
export async function serveModern(
  host: ModernHost,
  method: string,
  params: Params | undefined,
  inbound: InboundContext,
  wire: ModernWire,
  envelope: RequestEnvelope = readEnvelope(params),
): Promise<Result> {
  admitModern(method, envelope, host.versions, (m, r) => host.dispatcher.serves(m, r));
  let gathered = gatherAnswers(method, params, inbound.info, host.codec);
  if (gathered instanceof Promise) gathered = await gathered;
  const scope = new ModernScope(envelope, wire, gathered.answers);
  const ctx = new RequestContext(scope, inbound.id, inbound, params?._meta, inbound.info);
  let result: Result | undefined;
  try {
    result = await host.dispatcher.dispatch(method, params, ctx, { wire }, scope.session.revision);
  } catch (error) {
    if (!scope.suspended) throw error;
  }
  if (scope.suspended) {
    return inputRequiredResult(scope, method, params, gathered, inbound.info, host.codec);
  }
  return complete(host, method, result as Result, gathered.retry);
}

/** A complete result: the result type, caching hints where the method is cacheable, the server info. */
function complete(host: ModernHost, method: string, result: Result, retry: boolean): Result {
  const out: Result = { resultType: 'complete', ...result };
  if (methodFacts(method)?.cacheable === true && !retry) {
    const c = host.cache;
    out.ttlMs = c?.ttlMs ?? 0;
    out.cacheScope = method === 'resources/read' ? (c?.readScope ?? 'private') : (c?.listScope ?? 'public');
  }
  out._meta = { ...(result._meta as Result | undefined), [MetaKey.serverInfo]: host.serverInfo };
  return out;
}
