/** `subscriptions/listen` (2026-07-28): long-lived notification streams with filters. */
import { MetaKey, type RequestId, type ServerCapabilities } from '../protocol/index.ts';
import type { RequestContext } from './context.ts';
import type { ModernWire } from './modern.ts';

type Result = Record<string, unknown>;

/** What a listen stream asked for and was granted. */
export interface ListenFilter {
  toolsListChanged?: boolean;
  promptsListChanged?: boolean;
  resourcesListChanged?: boolean;
  resourceSubscriptions?: string[];
}

/** An open listen stream. */
export interface Listener {
  readonly id: RequestId;
  readonly filter: ListenFilter;
  readonly wire: ModernWire;
  /** Ends the stream gracefully (a `complete` result). */
  end(): void;
}

const FLAG_FOR: Record<string, keyof ListenFilter> = {
  'notifications/tools/list_changed': 'toolsListChanged',
  'notifications/prompts/list_changed': 'promptsListChanged',
  'notifications/resources/list_changed': 'resourcesListChanged',
};

/** The part of a requested filter the server can honour, given its capabilities. */
export function grantFilter(requested: unknown, caps: ServerCapabilities): ListenFilter {
  const r = (typeof requested === 'object' && requested !== null ? requested : {}) as Record<string, unknown>;
  const granted: ListenFilter = {};
  if (r.toolsListChanged === true && caps.tools?.listChanged) granted.toolsListChanged = true;
  if (r.promptsListChanged === true && caps.prompts?.listChanged) granted.promptsListChanged = true;
  if (r.resourcesListChanged === true && caps.resources?.listChanged) granted.resourcesListChanged = true;
  if (Array.isArray(r.resourceSubscriptions) && caps.resources?.subscribe) {
    const uris = r.resourceSubscriptions.filter((u): u is string => typeof u === 'string');
    if (uris.length > 0) granted.resourceSubscriptions = uris;
  }
  return granted;
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
  const filter = grantFilter(requested, caps);
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
  const flag = FLAG_FOR[method];
  for (const l of listeners) {
    const wanted =
      flag !== undefined
        ? l.filter[flag] === true
        : method === 'notifications/resources/updated' &&
          l.filter.resourceSubscriptions?.includes(String(params.uri));
    if (!wanted) continue;
    l.wire.notify(method, { ...params, _meta: { [MetaKey.subscriptionId]: l.id } }, l.id).catch(() => {});
  }
}
