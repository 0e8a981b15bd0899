/**
 * Cluster mode: several nodes behind a load balancer serve the same sessions through a shared
 * SessionStore, EventStore and Bus. Any node serves any request of a session: it restores a copy
 * of the session from its record when it has none, and stores back what a request changed. What
 * must reach one node in particular travels on the bus: the client's answer to a server→client
 * request (its id names the node waiting), cancellations and progress (to every node), the end of
 * a session, and messages for HTTP+SSE sessions (bound to the node holding their connection).
 */
import {
  isResponse,
  type JsonRpcMessage,
  type JsonRpcRequest,
  type JsonRpcResponse,
  type LegacyRevision,
} from '../../protocol/index.ts';
import type { AuthInfo } from '../../rpc/index.ts';
import type { Bus, EventStore, SessionRecord } from '../../store/index.ts';
import type { ParsedBody } from '../body.ts';
import type { ResolvedOptions, SessionHost } from '../options.ts';
import { LegacySseSession } from '../sessions/legacy-session.ts';
import type { SessionRegistry } from '../sessions/registry.ts';
import { StreamableSession } from '../sessions/session.ts';
import type { SessionSettings } from '../sessions/settings.ts';
import type { SseConnection } from '../sse.ts';
import { ClusterBroadcasts } from './broadcast.ts';
import { type PostClaims, RequestClaims } from './claims.ts';
import type { Envelope } from './envelope.ts';
import { followStream, wakeChannel } from './follow.ts';
import { keepsLeases, LeaseKeeper } from './leases.ts';
import { NodeLiveness, writerOf } from './liveness.ts';
import { untagId } from './tagged-id.ts';

/** The state of a session a request may change, as last stored. */
interface Synced {
  revision?: string;
  logLevel?: string;
  subscriptions: string;
}

/** What the server's side of a session may expose (McpServer's ServerSession does). */
interface SessionState {
  logLevel?: string;
  subscriptions?: Set<string>;
}

/**
 * Milliseconds a lease (a request id in flight, a session's GET stream) outlives a node that stops
 * renewing it; live nodes renew theirs every third of it.
 */
export const LEASE_TTL_MS = 6000;

/** One node's part in a cluster. */
export class Cluster {
  readonly nodeId: string;
  readonly #bus: Bus;
  readonly #store: EventStore;
  readonly #host: SessionHost;
  readonly #options: ResolvedOptions;
  readonly #registry: SessionRegistry;
  readonly #synced = new WeakMap<StreamableSession, Synced>();
  readonly #restoring = new Map<string, Promise<StreamableSession | undefined>>();
  readonly #liveness: NodeLiveness | undefined;
  readonly #leases: LeaseKeeper | undefined;
  readonly #claims: RequestClaims | undefined;
  readonly #broadcasts: ClusterBroadcasts | undefined;
  readonly #unlisten: (() => void) | undefined;
  #nextGet = 0;
  #ready: Promise<(() => Promise<void>)[]> | undefined;

  constructor(host: SessionHost, options: ResolvedOptions, registry: SessionRegistry, bus: Bus) {
    const store = options.eventStore;
    if (!store?.readAfter || !store.end) {
      throw new Error(
        'The bus option needs an event store shared by every node, with readAfter and end (RedisEventStore from mcpkit/redis).',
      );
    }
    this.nodeId = options.nodeId;
    this.#bus = bus;
    this.#store = store;
    this.#host = host;
    this.#options = options;
    this.#registry = registry;
    const sessions = options.sessionStore;
    if (keepsLeases(sessions)) {
      this.#leases = new LeaseKeeper(sessions, LEASE_TTL_MS, options.onError);
      this.#claims = new RequestClaims(this.#leases, this.nodeId);
      this.#liveness = new NodeLiveness(
        this.#leases,
        sessions,
        this.nodeId,
        LEASE_TTL_MS / 3,
        options.onError,
      );
    }
    const list = sessions.list?.bind(sessions);
    if (list && host.onBroadcast) {
      const broadcasts = new ClusterBroadcasts({
        nodeId: this.nodeId,
        records: list,
        events: store,
        peek: (id, kind) => registry.peek(id, kind),
        wake: (streamId) => this.wake(streamId),
        forward: (node, ids, b) => this.#publish(`node:${node}`, { s: '', ids, b, from: this.nodeId }),
        onError: options.onError,
      });
      this.#broadcasts = broadcasts;
      this.#unlisten = host.onBroadcast((b) => broadcasts.raised(b));
    }
    void this.#subscribe().catch(() => {});
  }

  /** Settings of a session copy on this node. */
  settings(streamPrefix: string): SessionSettings<StreamableSession> {
    const o = this.#options;
    return {
      store: o.eventStore,
      retryMs: o.retryMs,
      keepAliveMs: o.keepAliveMs,
      maxBufferedBytes: o.maxBufferedBytes,
      onError: o.onError,
      onClosed: (s) => {
        this.#registry.remove(s);
        this.#claims?.closed(s);
      },
      cluster: {
        nodeId: this.nodeId,
        streamPrefix,
        wake: (streamId) => this.wake(streamId),
        beforeAnswer: (s, responses) => this.#beforeAnswer(s, responses),
      },
    };
  }

  /** Notes the state a new session starts with (nothing stored beyond its record yet). */
  created(session: StreamableSession): void {
    this.#synced.set(session, { subscriptions: '' });
  }

  /** The session with this id: this node's copy, brought up to date, or one restored from its record. */
  async find(id: string): Promise<StreamableSession | undefined> {
    await this.#subscribe();
    const record = await this.#options.sessionStore.get(id);
    const local = this.#registry.get(id, 'streamable-http');
    if (record?.transport !== 'streamable-http') {
      if (local) void local.terminate().catch(this.#options.onError); // ended elsewhere, or expired
      return undefined;
    }
    if (local instanceof StreamableSession && !local.closed) {
      this.#applyState(local, record);
      return local;
    }
    let restoring = this.#restoring.get(id);
    if (!restoring) {
      restoring = this.#restore(record).finally(() => this.#restoring.delete(id));
      this.#restoring.set(id, restoring);
    }
    return restoring;
  }

  /**
   * Starts claiming the ids of a POST's requests cluster-wide (before the session is even read, so
   * both travel together); undefined when there is nothing to claim or the store keeps no leases.
   */
  claim(sessionId: string | null, requests: readonly JsonRpcRequest[]): PostClaims | undefined {
    return this.#claims?.start(sessionId, requests);
  }

  /**
   * Holds a session's GET stream for a connection of this node while it is open, cluster-wide:
   * resolves with the function that lets it go, or undefined when another connection holds it.
   * With `takeOver` (a client resuming with Last-Event-ID) it takes the stream from whichever
   * connection holds it, which then ends, as one node does.
   */
  async holdGet(
    sessionId: string,
    conn: SseConnection,
    takeOver: boolean,
  ): Promise<(() => void) | undefined> {
    const leases = this.#leases;
    if (!leases) return () => {};
    const name = `get:${sessionId}`;
    const owner = `${this.nodeId}.g${this.#nextGet++}`;
    const onLost = () => conn.end();
    if (takeOver) {
      const previous = await leases.take(name, owner, onLost);
      const node = previous?.slice(0, previous.indexOf('.'));
      if (previous && node && node !== this.nodeId) {
        this.#publish(`node:${node}`, { s: sessionId, lost: previous, from: this.nodeId });
      }
    } else if (!(await leases.acquire(name, owner, onLost))) return undefined;
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      void leases.release(name, owner);
    };
  }

  /**
   * Delivers what a POST without requests carries: each answer to the node whose request it
   * answers, cancellations and progress to every node (and here), anything else here.
   */
  route(session: StreamableSession, body: ParsedBody, deliver: (value: unknown) => void): void {
    const id = session.sessionId as string;
    for (const m of body.messages) {
      if (isResponse(m) && m.id !== null) {
        const tag = untagId(m.id);
        if (tag && tag.nodeId !== this.nodeId) this.#publish(`node:${tag.nodeId}`, { s: id, m });
        else deliver(tag ? { ...m, id: tag.id } : m);
        continue;
      }
      if (
        'method' in m &&
        (m.method === 'notifications/cancelled' || m.method === 'notifications/progress')
      ) {
        this.#publish('all', { s: id, m, from: this.nodeId });
      }
      deliver(m);
    }
  }

  /** Sends a message POSTed for an HTTP+SSE session to the node holding its connection. */
  forwardLegacy(record: SessionRecord, value: unknown, auth?: AuthInfo): void {
    this.#publish(
      `node:${record.node}`,
      auth ? { s: record.id, m: value, a: auth } : { s: record.id, m: value },
    );
  }

  /** Tells every node a session has ended, and forgets its record. */
  async ended(id: string): Promise<void> {
    await this.#options.sessionStore.delete(id);
    this.#publish('all', { s: id, closed: true, from: this.nodeId });
  }

  /** Wakes the followers of a stream, on every node. */
  wake(streamId: string): void {
    this.#bus.publish(wakeChannel(streamId), '').catch(this.#options.onError);
  }

  /**
   * Follows a stored stream on a connection of this node (see follow.ts); another node's POST
   * stream ends once that node is known dead (its liveness lease expired).
   */
  follow(streamId: string, after: string, conn: SseConnection): Promise<() => void> {
    const writer = writerOf(streamId);
    const liveness = this.#liveness;
    return followStream({
      writerAlive:
        writer === undefined || liveness === undefined ? undefined : () => liveness.alive(writer.node),
      lost: writer?.requests,
      store: this.#store,
      bus: this.#bus,
      streamId,
      after,
      conn,
      pollMs: Math.max(250, this.#options.retryMs),
      onError: this.#options.onError,
    });
  }

  /** Leaves the bus; stops delivering broadcasts and renewing leases. */
  async close(): Promise<void> {
    this.#unlisten?.();
    this.#liveness?.close();
    await this.#leases?.close();
    const ready = this.#ready;
    this.#ready = undefined;
    const unsubs = await ready?.catch(() => []);
    await Promise.all((unsubs ?? []).map((u) => u().catch(() => {})));
  }

  #subscribe(): Promise<(() => Promise<void>)[]> {
    if (!this.#ready) {
      const ready = Promise.allSettled([
        this.#bus.subscribe(`node:${this.nodeId}`, (text) => this.#received(text)),
        this.#bus.subscribe('all', (text) => this.#received(text)),
      ]).then(async (settled) => {
        const done = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
        const failed = settled.find((r) => r.status === 'rejected');
        if (!failed) return done;
        await Promise.all(done.map((u) => u().catch(() => {})));
        throw failed.reason;
      });
      ready.catch(() => {
        if (this.#ready === ready) this.#ready = undefined; // try again with the next request
      });
      this.#ready = ready;
    }
    return this.#ready;
  }

  #received(text: string): void {
    let envelope: Envelope;
    try {
      envelope = JSON.parse(text) as Envelope;
    } catch {
      return;
    }
    if (envelope.from === this.nodeId || typeof envelope.s !== 'string') return;
    if (envelope.b) {
      this.#broadcasts?.deliverLegacy(envelope.ids ?? [], envelope.b);
      return;
    }
    if (envelope.lost !== undefined) {
      this.#leases?.lost(`get:${envelope.s}`, envelope.lost);
      return;
    }
    const session =
      this.#registry.peek(envelope.s, 'streamable-http') ?? this.#registry.peek(envelope.s, 'sse');
    if (!session) return;
    if (envelope.closed) {
      void session.terminate().catch(this.#options.onError);
      return;
    }
    try {
      if (session instanceof LegacySseSession)
        session.deliver(envelope.m, envelope.a ? { auth: envelope.a } : {});
      else if (session instanceof StreamableSession) {
        const m = envelope.m as JsonRpcMessage;
        const tag = isResponse(m) && m.id !== null ? untagId(m.id) : undefined;
        session.deliver(tag ? { ...m, id: tag.id } : m, {});
      }
    } catch (error) {
      this.#options.onError(error as Error);
    }
  }

  #publish(channel: string, envelope: Envelope): void {
    this.#bus.publish(channel, JSON.stringify(envelope)).catch(this.#options.onError);
  }

  async #restore(record: SessionRecord): Promise<StreamableSession | undefined> {
    if (this.#registry.admit() !== undefined) return undefined;
    const session = new StreamableSession(record.id, this.settings(record.streamPrefix ?? ''));
    session.handle = await this.#host.connect(session);
    session.restore(record);
    this.#synced.set(session, { revision: record.revision, subscriptions: '' });
    this.#applyState(session, record);
    this.#registry.add(session as StreamableSession & { sessionId: string });
    return session;
  }

  #applyState(session: StreamableSession, record: SessionRecord): void {
    const synced = this.#synced.get(session);
    const state = session.handle as SessionState | undefined;
    if (!synced || !state) return;
    const subs = (record.subscriptions ?? []).join('\n');
    if (record.logLevel !== synced.logLevel && 'logLevel' in state) state.logLevel = record.logLevel;
    if (subs !== synced.subscriptions && state.subscriptions) {
      state.subscriptions.clear();
      for (const uri of record.subscriptions ?? []) state.subscriptions.add(uri);
    }
    synced.logLevel = record.logLevel;
    synced.subscriptions = subs;
    if (record.revision !== undefined && session.revision === undefined) {
      session.revision = record.revision as LegacyRevision;
    }
  }

  async #beforeAnswer(session: StreamableSession, responses: readonly JsonRpcResponse[]): Promise<void> {
    const released = this.#claims?.answered(session, responses);
    const stored = this.#storeState(session);
    if (released) await Promise.all([stored, released]);
    else await stored;
  }

  async #storeState(session: StreamableSession): Promise<void> {
    const synced = this.#synced.get(session);
    const id = session.sessionId;
    if (!synced || id === undefined) return;
    const state = (session.handle ?? {}) as SessionState;
    const changes: Partial<SessionRecord> = {};
    if (session.revision !== undefined && synced.revision !== session.revision) {
      changes.revision = session.revision;
      const p = session.initParams;
      if (p?.clientInfo) changes.clientInfo = p.clientInfo as Record<string, unknown>;
      if (p?.capabilities) changes.clientCapabilities = p.capabilities as Record<string, unknown>;
      synced.revision = session.revision;
    }
    if (state.logLevel !== synced.logLevel) {
      changes.logLevel = state.logLevel;
      synced.logLevel = state.logLevel;
    }
    const subs = state.subscriptions ? [...state.subscriptions].sort() : [];
    if (subs.join('\n') !== synced.subscriptions) {
      changes.subscriptions = subs;
      synced.subscriptions = subs.join('\n');
    }
    if (Object.keys(changes).length > 0) await this.#options.sessionStore.update(id, changes);
  }
}
