/**
 * Serving a request of the stateless revision (2026-07-28): the per-request `_meta` envelope, the
 * errors in the spec's order, Multi Round-Trip Requests behind the same `ctx.elicit()` /
 * `ctx.sample()` / `ctx.listRoots()` a legacy handler uses, and the result fields of the revision.
 */
import {
  ErrorCode,
  type InputRequest,
  type InputRequiredResult,
  LOGGING_LEVELS,
  type LoggingLevel,
  McpError,
  MODERN_REVISION,
  MRTR_METHODS,
  methodNotFound,
  type Params,
  type RequestEnvelope,
  type RequestId,
  type Revision,
} from '../protocol/index.ts';
import type { MessageInfo, RequestOptions } from '../rpc/index.ts';
import type { ContextHost, SessionInfo } from './context.ts';
import { paramsDigest, type RequestStateCodec } from './request-state.ts';

type Result = Record<string, unknown>;

/**
 * Admits a modern request whose envelope was read: its version must be the stateless revision, and
 * its method one served there (-32601 otherwise, as HTTP's 404).
 */
export function admitModern(
  method: string,
  envelope: RequestEnvelope,
  supported: readonly string[],
  serves: (method: string, revision: Revision) => boolean,
): void {
  // revision: admitting a request checks the version its envelope names
  if (envelope.protocolVersion !== MODERN_REVISION) {
    throw new McpError(
      ErrorCode.UnsupportedProtocolVersion,
      `Unsupported protocol version '${envelope.protocolVersion}'; this server supports ${supported.join(', ')}.`,
      { supported: [...supported], requested: envelope.protocolVersion },
    );
  }
  if (!serves(method, MODERN_REVISION)) throw methodNotFound(method, MODERN_REVISION);
}

/** Raised inside a handler when it asked the client for input it does not have yet. */
export class InputRequired extends Error {
  constructor() {
    super('The request needs input from the client; it is answered with an input_required result.');
    this.name = 'InputRequired';
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** What a client's answer to each kind of input request must look like. */
const ANSWER_SHAPES: Readonly<Record<InputRequest['method'], (answer: Record<string, unknown>) => boolean>> =
  {
    'elicitation/create': (a) =>
      (a.action === 'accept' || a.action === 'decline' || a.action === 'cancel') &&
      (a.content === undefined || isObject(a.content)),
    'sampling/createMessage': (a) =>
      (a.role === 'assistant' || a.role === 'user') && typeof a.model === 'string' && a.content !== undefined,
    'roots/list': (a) => Array.isArray(a.roots),
  };

/** Whether a client's answer has the shape of the result of `method`. */
function validAnswer(method: string, answer: unknown): boolean {
  if (!isObject(answer) || !Object.hasOwn(ANSWER_SHAPES, method)) return false;
  return ANSWER_SHAPES[method as InputRequest['method']](answer);
}

/** How a modern request reaches the wire (notifications on its own stream). */
export interface ModernWire {
  notify(method: string, params: Result, relatedRequestId: RequestId): Promise<void>;
}

/** The handler context host for one modern request. */
export class ModernScope implements ContextHost {
  readonly session: SessionInfo;
  readonly #envelope: RequestEnvelope;
  readonly #wire: ModernWire;
  readonly #answers: Record<string, unknown>;
  /** Answers the handler used, carried into the next round's state. */
  readonly used: Record<string, unknown> = {};
  /** Input requests the handler made that have no answer yet. */
  readonly asked: Record<string, InputRequest> = {};
  #counter = 0;

  constructor(envelope: RequestEnvelope, wire: ModernWire, answers: Record<string, unknown>) {
    this.#envelope = envelope;
    this.#wire = wire;
    this.#answers = answers;
    this.session = {
      id: undefined,
      revision: MODERN_REVISION,
      clientInfo: envelope.clientInfo,
      clientCapabilities: envelope.clientCapabilities,
    };
  }

  /** Whether the handler is waiting for input. */
  get suspended(): boolean {
    for (const _ in this.asked) return true;
    return false;
  }

  shouldLog(level: LoggingLevel): boolean {
    const threshold = this.#envelope.logLevel;
    return threshold !== undefined && LOGGING_LEVELS.indexOf(level) >= LOGGING_LEVELS.indexOf(threshold);
  }

  missingCapability(capability: string, message: string): Error {
    const top = capability.split('.')[0];
    return new McpError(ErrorCode.MissingRequiredClientCapability, message, {
      requiredCapabilities: { [top]: {} },
    });
  }

  request<R extends Result>(
    method: string,
    params: Result,
    options: RequestOptions & { inputKey?: string },
  ): Promise<R> {
    const key = options.inputKey ?? `${method.split('/')[0]}-${++this.#counter}`;
    const answer = this.#answers[key];
    if (validAnswer(method, answer)) {
      this.used[key] = answer;
      return Promise.resolve(answer as R);
    }
    this.asked[key] = { method: method as InputRequest['method'], params };
    return Promise.reject(new InputRequired());
  }

  notify(method: string, params: Result, relatedRequestId: RequestId): Promise<void> {
    return this.#wire.notify(method, params, relatedRequestId);
  }
}

/** The principal a request state is bound to. */
export function principalOf(info: MessageInfo | undefined): string {
  const auth = info?.auth;
  return auth ? `${auth.clientId ?? ''}:${auth.subject ?? ''}` : '';
}

/** The answers a request brings, and whether it is a retry. */
export interface Gathered {
  answers: Record<string, unknown>;
  /** The digest of the request's params, when it had to be computed to check a state. */
  digest?: string;
  retry: boolean;
}

const NO_ANSWERS: Gathered = Object.freeze({ answers: Object.freeze({}), retry: false }) as Gathered;

/**
 * Gathers the answers of earlier rounds (from a verified state) and of this one. A first round
 * costs nothing: no digest, no promise.
 */
export function gatherAnswers(
  method: string,
  params: Params | undefined,
  info: MessageInfo | undefined,
  codec: RequestStateCodec,
): Gathered | Promise<Gathered> {
  const state = params?.requestState;
  const responses = params?.inputResponses;
  if (state === undefined && responses === undefined) return NO_ANSWERS;
  if (!MRTR_METHODS.has(method)) return { answers: {}, retry: true };
  const current =
    typeof responses === 'object' && responses !== null && !Array.isArray(responses)
      ? (responses as Record<string, unknown>)
      : {};
  if (state === undefined) return { answers: { ...current }, retry: true };
  return (async () => {
    const digest = await paramsDigest(params);
    const prior = (await codec.open(state, method, digest, principalOf(info))).answers;
    return { answers: { ...prior, ...current }, digest, retry: true };
  })();
}

/** Builds the input_required result for a suspended handler. */
export async function inputRequiredResult(
  scope: ModernScope,
  method: string,
  params: Params | undefined,
  gathered: Gathered,
  info: MessageInfo | undefined,
  codec: RequestStateCodec,
): Promise<InputRequiredResult> {
  const requestState = await codec.seal({
    answers: scope.used,
    method,
    digest: gathered.digest ?? (await paramsDigest(params)),
    principal: principalOf(info),
    expires: Date.now() + codec.ttlMs,
  });
  return { resultType: 'input_required', inputRequests: scope.asked, requestState };
}
