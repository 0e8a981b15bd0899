/** `subscriptions/listen` (2026-07-28): long-lived notification streams with filters. */
import {
  grantListenFilter,
  type ListenFilter,
  listenWants,
  MetaKey,
  type RequestId,
  type ServerCapabilities,
} from '../protocol/index.ts';
import type { RequestContext } from './context.ts';
import type { ModernWire } from './modern.ts';

type Result = Record<string, unknown>;

/** An open listen stream. */
export interface Listener {
  readonly id: RequestId;
  readonly filter: ListenFilter;
  readonly wire: ModernWire;
  /** Ends the stream gracefully (a `complete` result). */
  end(): void;
}

/** Serves one listen request: acknowledges, then holds the stream open until cancelled or ended. */
export function listen(
  requested: unknown,
  ctx: RequestContext,
  caps: ServerCapabilities,
  listeners: Set<Listener>,
  wire: ModernWire,
): Promise<Result> {
  const id = ctx.requestId;
  const filter = grantListenFilter(requested, caps);
  return new Promise<Result>((resolve) => {
    const listener: Listener = {
      id,
      filter,
      wire,
      end: () => {
        listeners.delete(listener);
        resolve({ resultType: 'complete', _meta: { [MetaKey.subscriptionId]: id } });
      },
    };
    wire
      .notify(
        'notifications/subscriptions/acknowledged',
        { _meta: { [MetaKey.subscriptionId]: id }, notifications: filter },
        id,
      )
      .catch(() => {});
    if (ctx.signal.aborted) return listener.end();
    listeners.add(listener);
    ctx.signal.addEventListener('abort', () => listener.end(), { once: true });
  });
}

/** Sends a notification to every listen stream whose filter asks for it. */
export function notifyListeners(listeners: ReadonlySet<Listener>, method: string, params: Result): void {
  for (const l of listeners) {
    if (!listenWants(l.filter, method, params)) continue;
    l.wire.notify(method, { ...params, _meta: { [MetaKey.subscriptionId]: l.id } }, l.id).catch(() => {});
  }
}
