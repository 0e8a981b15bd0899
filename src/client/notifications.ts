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

/** Handles one notification from the server: forgets what it makes stale, then emits its events. */
export function routeNotification(
  n: JsonRpcNotification,
  events: Emitter<ClientEvents>,
  output: OutputValidator,
  toolHeaders: ToolHeaders,
  cache: ResultCache,
): void {
  const p = n.params ?? {};
  switch (n.method) {
    case 'notifications/tools/list_changed':
      output.clear();
      toolHeaders.clear();
      cache.invalidate(['tools/list']);
      events.emit('toolsListChanged');
      break;
    case 'notifications/resources/list_changed':
      cache.invalidate(['resources/list', 'resources/templates/list']);
      events.emit('resourcesListChanged');
      break;
    case 'notifications/prompts/list_changed':
      cache.invalidate(['prompts/list']);
      events.emit('promptsListChanged');
      break;
    case 'notifications/resources/updated':
      cache.invalidate(['resources/read']);
      events.emit('resourceUpdated', String(p.uri));
      break;
    case 'notifications/message':
      events.emit('log', p as unknown as LoggingMessageParams);
      break;
    case 'notifications/progress':
      events.emit('progress', p as unknown as ProgressParams);
      break;
    case 'notifications/elicitation/complete':
      if (typeof p.elicitationId === 'string') events.emit('elicitationComplete', p.elicitationId);
      break;
  }
  events.emit('notification', n);
}
