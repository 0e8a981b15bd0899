/**
 * `subscriptions/listen` (2026-07-28) served by the bridge for a legacy server: each listen stream
 * is acknowledged with what the server can give, then receives the server's list-changed
 * notifications and the updates of the resources it asked for (subscribed upstream while any
 * stream wants them), each tagged with the stream's subscription id.
 */
import {
  grantListenFilter,
  type ListenFilter,
  listenWants,
  MetaKey,
  type Params,
  type RequestId,
  type ServerCapabilities,
} from '../../protocol/index.ts';
import type { Call, Link } from './link.ts';

type Result = Record<string, unknown>;

/** The listen streams of one link. */
export class ModernListens {
  readonly #link: Link;
  readonly #caps: ServerCapabilities;
  readonly #streams = new Map<RequestId, { call: Call; filter: ListenFilter }>();
  readonly #subscribed = new Map<string, number>();

  constructor(link: Link, caps: ServerCapabilities) {
    this.#link = link;
    this.#caps = caps;
  }

  /** Serves one listen request until the client cancels it or the link closes. */
  async listen(call: Call): Promise<Result> {
    const filter = grantListenFilter(call.params?.notifications, this.#caps);
    const tag = { [MetaKey.subscriptionId]: call.id };
    await call.peer
      .notify(
        'notifications/subscriptions/acknowledged',
        { _meta: tag, notifications: filter },
        { relatedRequestId: call.id },
      )
      .catch(() => {});
    this.#streams.set(call.id, { call, filter });
    for (const uri of filter.resourceSubscriptions ?? []) await this.#subscribe(uri);
    await new Promise<void>((resolve) => {
      if (call.signal.aborted) resolve();
      else call.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    this.#streams.delete(call.id);
    for (const uri of filter.resourceSubscriptions ?? []) await this.#unsubscribe(uri);
    return { resultType: 'complete', _meta: tag };
  }

  async #subscribe(uri: string): Promise<void> {
    const n = this.#subscribed.get(uri) ?? 0;
    this.#subscribed.set(uri, n + 1);
    if (n === 0) await this.#link.request('resources/subscribe', { uri }).catch(() => {});
  }

  async #unsubscribe(uri: string): Promise<void> {
    const n = (this.#subscribed.get(uri) ?? 1) - 1;
    if (n > 0) {
      this.#subscribed.set(uri, n);
      return;
    }
    this.#subscribed.delete(uri);
    if (!this.#link.closed) await this.#link.request('resources/unsubscribe', { uri }).catch(() => {});
  }

  /** Passes a server notification to the streams that asked for it. */
  notify(method: string, params: Params): void {
    for (const { call, filter } of this.#streams.values()) {
      if (!listenWants(filter, method, params)) continue;
      const meta = {
        ...(params._meta as Record<string, unknown> | undefined),
        [MetaKey.subscriptionId]: call.id,
      };
      call.peer.notify(method, { ...params, _meta: meta }, { relatedRequestId: call.id }).catch(() => {});
    }
  }

  /** Forgets every stream. */
  close(): void {
    this.#streams.clear();
    this.#subscribed.clear();
  }
}
