/**
 * One request of a modern client served by a legacy server, across the rounds of a Multi
 * Round-Trip Request: the upstream call runs once; each request the server sends the client while
 * it runs ends the current round with an `input_required` result, and the client's retry (carrying
 * the answers and the `requestState` token) starts the next round, until the upstream call ends.
 */
import { ErrorCode, McpError, type Params, type ProgressToken } from '../../protocol/index.ts';
import type { Call } from './link.ts';

type Result = Record<string, unknown>;

/** A request the server sent, waiting for the client's answer. */
interface PendingInput {
  key: string;
  method: string;
  params: Params | undefined;
  resolve: (result: Result) => void;
  reject: (error: Error) => void;
}

interface Waiter {
  call: Call;
  resolve: (result: Result) => void;
  reject: (error: unknown) => void;
}

/** How long an exchange waits for the client's retry before it gives up, ms. */
const RETRY_WINDOW = 10 * 60_000;

/** One upstream call across the rounds of a Multi Round-Trip Request. */
export class Exchange {
  /** The `requestState` token that names this exchange. */
  readonly token: string;
  /** The progress token the upstream call was sent with. */
  readonly progressToken: ProgressToken | undefined;
  /** When it started, for choosing among several. */
  readonly started = Date.now();
  readonly #controller = new AbortController();
  readonly #queued: PendingInput[] = [];
  readonly #asked = new Map<string, PendingInput>();
  readonly #onDone: (exchange: Exchange) => void;
  readonly #convert: (result: Result) => Result;
  #waiter: Waiter | undefined;
  #outcome: { result: Result } | { error: unknown } | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #nextKey = 0;

  constructor(
    progressToken: ProgressToken | undefined,
    convert: (result: Result) => Result,
    onDone: (exchange: Exchange) => void,
  ) {
    this.token = `bridge-${crypto.randomUUID()}`;
    this.progressToken = progressToken;
    this.#convert = convert;
    this.#onDone = onDone;
  }

  /** Aborted when the exchange is abandoned: the upstream call is cancelled with it. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** The downstream request waiting for this round's outcome, if any. */
  get waiting(): Call | undefined {
    return this.#waiter?.call;
  }

  /** Whether the upstream call has ended. */
  get done(): boolean {
    return this.#outcome !== undefined || this.#controller.signal.aborted;
  }

  /** Follows the upstream call. */
  run(upstream: Promise<Result>): void {
    upstream.then(
      (result) => this.#finish({ result }),
      (error: unknown) => this.#finish({ error }),
    );
  }

  /** Serves one round for a downstream request: the outcome, or the next input requests. */
  wait(call: Call): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.#waiter = { call, resolve, reject };
      const onAbort = () => {
        if (this.#waiter?.call === call) this.abandon('the client cancelled the request');
      };
      call.signal.addEventListener('abort', onAbort, { once: true });
      this.#settle();
    });
  }

  /** Takes the client's answers from a retried request; unanswered requests are asked again. */
  answer(responses: unknown): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const given =
      typeof responses === 'object' && responses !== null ? (responses as Record<string, unknown>) : {};
    for (const [key, pending] of this.#asked) {
      const value = given[key];
      if (typeof value === 'object' && value !== null) pending.resolve(value as Result);
      else this.#queued.push(pending);
    }
    this.#asked.clear();
  }

  /** A request from the server for the client; resolves with the client's answer. */
  input(method: string, params: Params | undefined, signal: AbortSignal): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      const pending: PendingInput = { key: String(this.#nextKey++), method, params, resolve, reject };
      this.#queued.push(pending);
      signal.addEventListener(
        'abort',
        () => {
          const i = this.#queued.indexOf(pending);
          if (i >= 0) this.#queued.splice(i, 1);
          this.#asked.delete(pending.key);
          reject(new McpError(ErrorCode.InternalError, 'The server cancelled its request.'));
        },
        { once: true },
      );
      this.#settle();
    });
  }

  /** Gives up: cancels the upstream call and fails what waits. */
  abandon(reason: string): void {
    if (this.done) return;
    this.#controller.abort(reason);
    const error = new McpError(ErrorCode.InternalError, `The request was abandoned: ${reason}.`);
    for (const p of [...this.#queued, ...this.#asked.values()]) p.reject(error);
    this.#queued.length = 0;
    this.#asked.clear();
    this.#finish({ error });
  }

  #finish(outcome: { result: Result } | { error: unknown }): void {
    if (this.#outcome) return;
    this.#outcome = outcome;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#onDone(this);
    this.#settle();
  }

  #settle(): void {
    const waiter = this.#waiter;
    if (!waiter) return;
    const outcome = this.#outcome;
    if (outcome) {
      this.#waiter = undefined;
      if ('result' in outcome) {
        try {
          waiter.resolve(this.#convert(outcome.result));
        } catch (error) {
          waiter.reject(error);
        }
      } else waiter.reject(outcome.error);
      return;
    }
    if (this.#queued.length === 0) return;
    this.#waiter = undefined;
    const inputRequests: Record<string, { method: string; params?: Params }> = {};
    for (const p of this.#queued.splice(0)) {
      this.#asked.set(p.key, p);
      inputRequests[p.key] =
        p.params === undefined ? { method: p.method } : { method: p.method, params: p.params };
    }
    this.#timer = setTimeout(() => this.abandon('the client did not send its answers in time'), RETRY_WINDOW);
    (this.#timer as { unref?: () => void }).unref?.();
    waiter.resolve({ resultType: 'input_required', inputRequests, requestState: this.token });
  }
}
