/**
 * What a notification from the server does on the client: it drops what the client remembered of
 * the changed lists and cached results, and becomes the matching event.
 */
import type { JsonRpcNotification, LoggingMessageParams, ProgressParams } from '../protocol/index.ts';
import type { Emitter } from '../rpc/index.ts';
import type { ResultCache } from './cache.ts';
import type { ClientEvents } from './options.ts';
import type { OutputValidator } from './output.ts';
import type { ToolHeaders } from './tool-headers.ts';

/** What the client keeps that a notification may make stale, and where its events go. */
interface Targets {
  readonly events: Emitter<ClientEvents>;
  readonly output: OutputValidator;
  readonly toolHeaders: ToolHeaders;
  readonly cache: ResultCache;
}

type Params = Record<string, unknown>;

/** The client's notification table: what each server notification does. */
const NOTIFICATIONS: Readonly<Record<string, (p: Params, t: Targets) => void>> = {
  'notifications/tools/list_changed': (_p, t) => {
    t.output.clear();
    t.toolHeaders.clear();
    t.cache.invalidate(['tools/list']);
    t.events.emit('toolsListChanged');
  },
  'notifications/resources/list_changed': (_p, t) => {
    t.cache.invalidate(['resources/list', 'resources/templates/list']);
    t.events.emit('resourcesListChanged');
  },
  'notifications/prompts/list_changed': (_p, t) => {
    t.cache.invalidate(['prompts/list']);
    t.events.emit('promptsListChanged');
  },
  'notifications/resources/updated': (p, t) => {
    t.cache.invalidate(['resources/read']);
    t.events.emit('resourceUpdated', String(p.uri));
  },
  'notifications/message': (p, t) => t.events.emit('log', p as unknown as LoggingMessageParams),
  'notifications/progress': (p, t) => t.events.emit('progress', p as unknown as ProgressParams),
  'notifications/elicitation/complete': (p, t) => {
    if (typeof p.elicitationId === 'string') t.events.emit('elicitationComplete', p.elicitationId);
  },
};

/** Handles one notification from the server: forgets what it makes stale, then emits its events. */
export function routeNotification(
  n: JsonRpcNotification,
  events: Emitter<ClientEvents>,
  output: OutputValidator,
  toolHeaders: ToolHeaders,
  cache: ResultCache,
): void {
  const row = Object.hasOwn(NOTIFICATIONS, n.method) ? NOTIFICATIONS[n.method] : undefined;
  row?.(n.params ?? {}, { events, output, toolHeaders, cache });
  events.emit('notification', n);
}
