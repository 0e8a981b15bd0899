/**
 * One request of the stateless revision from the client side: the envelope, one retry after
 * -32022 when the server does support 2026-07-28, and the Multi Round-Trip loop that answers
 * `input_required` results through the same handlers as legacy server→client requests.
 */
import {
  ErrorCode,
  LocalError,
  McpError,
  MODERN_REVISION,
  MRTR_METHODS,
  type Params,
} from '../protocol/index.ts';
import type { JsonRpcPeer, RequestOptions } from '../rpc/index.ts';

type Result = Record<string, unknown>;

/** What the loop needs from the client. */
export interface ModernRequestDeps {
  /** Adds the per-request envelope to params. */
  envelope(params: Params | undefined): Params;
  /** Answers one input request (elicitation, sampling, roots). */
  answer(method: string, params: Params | undefined, signal: AbortSignal): Promise<Result>;
  /** Most rounds before giving up. */
  maxRounds: number;
  /** Called with the complete result. */
  complete(result: Result): void;
}

function supportsModern(error: unknown): boolean {
  if (!(error instanceof McpError) || error.code !== ErrorCode.UnsupportedProtocolVersion) return false;
  const supported = (error.data as { supported?: unknown } | undefined)?.supported;
  return Array.isArray(supported) && supported.includes(MODERN_REVISION);
}

/** Sends a modern request and follows `input_required` results until the result is complete. */
export async function runModernRequest(
  peer: JsonRpcPeer,
  method: string,
  params: Params | undefined,
  options: RequestOptions,
  deps: ModernRequestDeps,
): Promise<Result> {
  let sent = deps.envelope(params);
  let retriedVersion = false;
  for (let round = 0; round <= deps.maxRounds; round++) {
    let result: Result;
    try {
      result = await peer.request(method, sent, { progressToken: true, ...options });
    } catch (error) {
      if (!retriedVersion && supportsModern(error)) {
        retriedVersion = true;
        round--;
        continue;
      }
      throw error;
    }
    const type = result.resultType;
    if (type === undefined || type === 'complete') {
      deps.complete(result);
      return result;
    }
    if (type !== 'input_required' || !MRTR_METHODS.has(method)) {
      throw new McpError(
        ErrorCode.InternalError,
        `The server answered '${method}' with resultType '${String(type)}', which this client does not understand.`,
      );
    }
    const requests = (result.inputRequests ?? {}) as Record<string, { method: string; params?: Params }>;
    const responses: Record<string, unknown> = {};
    const signal = options.signal ?? new AbortController().signal;
    for (const [key, req] of Object.entries(requests)) {
      responses[key] = await deps.answer(req.method, req.params, signal);
    }
    const { inputResponses: _i, requestState: _s, ...base } = sent;
    sent = { ...base, inputResponses: responses };
    if (typeof result.requestState === 'string') sent.requestState = result.requestState;
  }
  throw new LocalError(`'${method}' still needed input after ${deps.maxRounds} rounds; giving up.`);
}
