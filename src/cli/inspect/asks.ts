/**
 * The server's requests to the inspector (sampling, elicitation, roots) answered in the page: each
 * one waits, announced on the event stream, until the page posts its answer or the server cancels.
 */
import type { ClientHandlers } from '../../client/index.ts';
import {
  type CreateMessageResult,
  type ElicitResult,
  ErrorCode,
  McpError,
  type Root,
} from '../../protocol/index.ts';
import type { EventHub } from './events.ts';

/** A request from the server that waits for the page. */
export interface PendingAsk {
  id: string;
  kind: 'sampling' | 'elicitation';
  params: unknown;
}

/** What the page answers: the result, or a refusal. */
export interface AskAnswer {
  id: string;
  result?: Record<string, unknown>;
  decline?: boolean;
}

/** The waiting requests, and the roots the page edits. */
export class AskBoard {
  readonly #hub: EventHub;
  readonly #waiting = new Map<string, { ask: PendingAsk; settle: (answer: AskAnswer) => void }>();
  #next = 0;
  /** The roots offered to the server. */
  roots: Root[];

  constructor(hub: EventHub, roots: Root[] = []) {
    this.#hub = hub;
    this.roots = roots;
  }

  /** The requests waiting for an answer. */
  pending(): PendingAsk[] {
    return [...this.#waiting.values()].map((w) => w.ask);
  }

  /** The client handlers that put each request on the board. */
  handlers(): ClientHandlers {
    return {
      sampling: async (params, ctx) => {
        const answer = await this.#wait('sampling', params, ctx.signal);
        if (answer.decline || !answer.result) {
          throw new McpError(ErrorCode.UserRejected, 'The user declined the sampling request.');
        }
        return answer.result as unknown as CreateMessageResult;
      },
      elicitation: async (params, ctx) => {
        const answer = await this.#wait('elicitation', params, ctx.signal);
        if (answer.decline || !answer.result) return { action: 'decline' };
        return answer.result as unknown as ElicitResult;
      },
      roots: () => this.roots,
    };
  }

  /** Settles a waiting request with the page's answer; false when no such request waits. */
  answer(answer: AskAnswer): boolean {
    const waiting = this.#waiting.get(answer.id);
    if (!waiting) return false;
    waiting.settle(answer);
    return true;
  }

  /** Declines every waiting request (the connection is closing). */
  declineAll(): void {
    for (const id of [...this.#waiting.keys()]) this.answer({ id, decline: true });
  }

  #wait(kind: PendingAsk['kind'], params: unknown, signal: AbortSignal): Promise<AskAnswer> {
    const ask: PendingAsk = { id: `ask-${++this.#next}`, kind, params };
    return new Promise<AskAnswer>((resolve, reject) => {
      const done = () => {
        this.#waiting.delete(ask.id);
        signal.removeEventListener('abort', onAbort);
        this.#hub.emit('ask-done', { id: ask.id }, false);
      };
      const onAbort = () => {
        done();
        reject(signal.reason ?? new Error('The server cancelled its request.'));
      };
      signal.addEventListener('abort', onAbort);
      this.#waiting.set(ask.id, {
        ask,
        settle: (answer) => {
          done();
          resolve(answer);
        },
      });
      this.#hub.emit('ask', ask, false);
    });
  }
}
