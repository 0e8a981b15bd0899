/**
 * The filter of a `subscriptions/listen` stream (2026-07-28): what a client asks to hear, what a
 * server with given capabilities grants, and whether a notification is wanted.
 */
import type { ServerCapabilities } from './lifecycle.ts';

/** What a listen stream asked for and was granted. */
export interface ListenFilter {
  toolsListChanged?: boolean;
  promptsListChanged?: boolean;
  resourcesListChanged?: boolean;
  resourceSubscriptions?: string[];
}

const FLAG_FOR: Readonly<Record<string, keyof ListenFilter>> = {
  'notifications/tools/list_changed': 'toolsListChanged',
  'notifications/prompts/list_changed': 'promptsListChanged',
  'notifications/resources/list_changed': 'resourcesListChanged',
};

/** The part of a requested filter a server with these capabilities can honour. */
export function grantListenFilter(requested: unknown, caps: ServerCapabilities): ListenFilter {
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

/** Whether a stream with this filter wants a notification. */
export function listenWants(filter: ListenFilter, method: string, params: Record<string, unknown>): boolean {
  const flag = FLAG_FOR[method];
  if (flag !== undefined) return filter[flag] === true;
  return (
    method === 'notifications/resources/updated' &&
    filter.resourceSubscriptions?.includes(String(params.uri)) === true
  );
}
