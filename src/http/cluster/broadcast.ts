/**
 * Server-wide notifications in cluster mode (resource updated, list changed), raised by the
 * application on one node, for the sessions of every node. The raising node reads every session
 * record: for each Streamable HTTP session that should get the notification (initialized, and
 * subscribed to the resource for `notifications/resources/updated`), it appends the notification,
 * shaped for the session's revision, to the session's GET stream in the shared event store (through
 * its own copy of the session when it holds one) and wakes the stream's followers. The records, not
 * the copies, decide who gets it, so a copy whose subscriptions are stale changes nothing, and the
 * server skips its own copies, so each session gets it once. HTTP+SSE sessions live on one node:
 * their ids go over the bus to that node, which sends the notification on their connection.
 */
import {
  isLegacyRevision,
  type JsonRpcNotification,
  type LegacyRevision,
  shapeParams,
} from '../../protocol/index.ts';
import type { EventStore, SessionRecord } from '../../store/index.ts';
import type { HostBroadcast } from '../options.ts';
import { LegacySseSession } from '../sessions/legacy-session.ts';
import type { LiveSession } from '../sessions/registry.ts';
import { StreamableSession } from '../sessions/session.ts';

/** What the server's side of a session exposes (McpServer's ServerSession does). */
interface ServerSide {
  readonly ready?: boolean;
  readonly revision?: string;
  readonly subscriptions?: ReadonlySet<string>;
}

/** What delivering broadcasts needs of the node. */
export interface BroadcastSettings {
  readonly nodeId: string;
  /** Every session record (the session store's `list`). */
  records(): AsyncIterable<SessionRecord>;
  readonly events: EventStore;
  /** This node's live session with this id and kind. */
  peek(id: string, kind: 'streamable-http' | 'sse'): LiveSession | undefined;
  /** Wakes the followers of a stream on every node. */
  wake(streamId: string): void;
  /** Sends the ids of HTTP+SSE sessions of another node there, with the broadcast. */
  forward(nodeId: string, ids: string[], broadcast: HostBroadcast): void;
  onError(error: Error): void;
}

/** Delivers broadcasts of this node's host to every session of the cluster. */
export class ClusterBroadcasts {
  readonly #s: BroadcastSettings;

  constructor(settings: BroadcastSettings) {
    this.#s = settings;
  }

  /** The host's listener: takes this node's Streamable HTTP copies, and delivers to every session. */
  raised(broadcast: HostBroadcast): { handles(sessionId: string): boolean; done: Promise<void> } {
    return {
      handles: (id) => this.#s.peek(id, 'streamable-http') !== undefined,
      done: this.#deliver(broadcast).catch((error: unknown) => this.#s.onError(error as Error)),
    };
  }

  /** Sends a broadcast another node raised to HTTP+SSE sessions of this node. */
  deliverLegacy(ids: readonly string[], broadcast: HostBroadcast): void {
    for (const id of ids) {
      const session = this.#s.peek(id, 'sse');
      if (!(session instanceof LegacySseSession)) continue;
      const side = session.handle as ServerSide | undefined;
      if (!side || side.ready === false) continue;
      if (broadcast.uri !== undefined && !side.subscriptions?.has(broadcast.uri)) continue;
      // revision: an HTTP+SSE session's revision as its record names it (HTTP+SSE is 2024-11-05 when unknown)
      const revision = isLegacyRevision(side.revision) ? side.revision : '2024-11-05';
      session.send(notification(broadcast, revision)).catch(() => {});
    }
  }

  async #deliver(broadcast: HostBroadcast): Promise<void> {
    const s = this.#s;
    const sends: Promise<void>[] = [];
    const legacy = new Map<string, string[]>();
    for await (const record of s.records()) {
      if (record.transport === 'sse') {
        // This node's HTTP+SSE sessions are the host's own; others go to the node holding them.
        if (record.node === undefined || record.node === s.nodeId) continue;
        const ids = legacy.get(record.node) ?? [];
        ids.push(record.id);
        legacy.set(record.node, ids);
        continue;
      }
      const revision = record.revision;
      // revision: validates a revision read back from the shared store
      if (record.transport !== 'streamable-http' || !isLegacyRevision(revision)) continue;
      if (record.streamPrefix === undefined) continue;
      if (broadcast.uri !== undefined && !record.subscriptions?.includes(broadcast.uri)) continue;
      const message = notification(broadcast, revision);
      const copy = s.peek(record.id, 'streamable-http');
      if (copy instanceof StreamableSession && !copy.closed) {
        sends.push(copy.send(message).catch((error: unknown) => s.onError(error as Error)));
      } else {
        sends.push(this.#append(`${record.streamPrefix}get`, JSON.stringify(message)));
      }
    }
    for (const [node, ids] of legacy) s.forward(node, ids, broadcast);
    await Promise.all(sends);
  }

  async #append(streamId: string, text: string): Promise<void> {
    try {
      await this.#s.events.append(streamId, text);
      this.#s.wake(streamId);
    } catch (error) {
      this.#s.onError(error as Error);
    }
  }
}

function notification(broadcast: HostBroadcast, revision: LegacyRevision): JsonRpcNotification {
  const params = shapeParams(broadcast.method, broadcast.params, revision);
  return params === undefined
    ? { jsonrpc: '2.0', method: broadcast.method }
    : { jsonrpc: '2.0', method: broadcast.method, params };
}
