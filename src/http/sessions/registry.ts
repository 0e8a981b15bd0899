/**
 * The live sessions of one handler: lookup by id and kind, a cap on their number, fair admission
 * (unused sessions expire soon; when full, an idle session makes room before a client is refused;
 * an optional cap per client), idle eviction, and the matching records in the SessionStore.
 */
import type { SessionRecord, SessionStore, SessionTransportKind } from '../../store/index.ts';

/** What the registry needs of a live session. */
export interface LiveSession {
  readonly sessionId: string | undefined;
  readonly kind: SessionTransportKind;
  lastSeen: number;
  readonly openConnections: number;
  /** The principal the session is bound to, when the handler authenticates. */
  readonly subject?: string | undefined;
  /** Whether the client has used the session beyond its handshake (a request after initialize, a stream). */
  readonly engaged: boolean;
  terminate(): Promise<void>;
}

/** Why a new session was not admitted: the table is full of busy sessions, or the client's share is. */
export type Refusal = 'full' | 'client';

/** Settings of the registry. */
export interface RegistrySettings {
  idleMs: number;
  /** Idle time after which a session never used beyond its handshake is closed. */
  unusedIdleMs: number;
  maxSessions: number;
  /** Most sessions one client (principal, else network address) may hold; Infinity: no cap. */
  maxPerClient: number;
  store: SessionStore;
  onError: (error: Error) => void;
  /**
   * Several nodes share the store: records of Streamable HTTP sessions are written by the cluster
   * and outlive this node's copy (they expire in the store); only HTTP+SSE records go with it.
   */
  shared?: boolean;
}

/** The live sessions of one handler. */
export class SessionRegistry {
  readonly #live = new Map<string, LiveSession>();
  readonly #touched = new Map<string, number>();
  // Sessions not (yet known to be) used beyond their handshake, oldest first; engaged ones leave lazily.
  readonly #unused = new Set<LiveSession>();
  // With a per-client cap: each session's client, and each client's sessions.
  readonly #clientOf = new Map<LiveSession, string>();
  readonly #byClient = new Map<string, Set<LiveSession>>();
  readonly #settings: RegistrySettings;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(settings: RegistrySettings) {
    this.#settings = settings;
  }

  /** Number of live sessions. */
  get size(): number {
    return this.#live.size;
  }

  /**
   * Makes room for a new session of `client` (its principal or address, when known): past the
   * client's cap its own least recently used idle session is closed; when the table is full, expired
   * sessions go, then the oldest idle unused one, then the least recently used idle one. Returns
   * undefined when there is room, else why not (every candidate has a connection open).
   */
  admit(client?: string): Refusal | undefined {
    const { maxSessions, maxPerClient } = this.#settings;
    const own = client === undefined ? undefined : this.#byClient.get(client);
    if (own !== undefined && own.size >= maxPerClient) {
      const victim = leastRecentlyUsed(own, true) ?? leastRecentlyUsed(own, false);
      if (victim === undefined) return 'client';
      this.#evict(victim);
    }
    if (this.#live.size < maxSessions) return undefined;
    this.sweep();
    if (this.#live.size < maxSessions) return undefined;
    const victim = this.#oldestIdleUnused() ?? leastRecentlyUsed(this.#live.values(), false);
    if (victim === undefined) return 'full';
    this.#evict(victim);
    return undefined;
  }

  /** Adds a session and stores its record; `client` counts it against that client's cap. */
  add(session: LiveSession & { readonly sessionId: string }, client?: string): void {
    const now = Date.now();
    this.#live.set(session.sessionId, session);
    this.#touched.set(session.sessionId, now);
    if (!session.engaged) this.#unused.add(session);
    if (client !== undefined && Number.isFinite(this.#settings.maxPerClient)) {
      this.#clientOf.set(session, client);
      let own = this.#byClient.get(client);
      if (own === undefined) {
        own = new Set();
        this.#byClient.set(client, own);
      }
      own.add(session);
    }
    this.#startTimer();
    if (this.#settings.shared) return;
    const record: SessionRecord = {
      id: session.sessionId,
      transport: session.kind,
      createdAt: now,
      lastSeen: now,
    };
    if (session.subject !== undefined) record.subject = session.subject;
    this.#settings.store.set(record).catch(this.#settings.onError);
  }

  /** The live session with this id and kind, without touching it. */
  peek(id: string, kind: SessionTransportKind): LiveSession | undefined {
    const session = this.#live.get(id);
    return session?.kind === kind ? session : undefined;
  }

  /** The live session with this id and kind (touching it), or undefined. */
  get(id: string, kind: SessionTransportKind): LiveSession | undefined {
    const session = this.#live.get(id);
    if (!session || session.kind !== kind) return undefined;
    const now = Date.now();
    session.lastSeen = now;
    const touched = this.#touched.get(id) ?? 0;
    if (now - touched > this.#settings.idleMs / 10) {
      this.#touched.set(id, now);
      this.#settings.store.update(id, { lastSeen: now }).catch(this.#settings.onError);
    }
    return session;
  }

  /** Records a change of a session's facts in the store. */
  update(id: string, changes: Partial<Omit<SessionRecord, 'id'>>): void {
    this.#settings.store.update(id, changes).catch(this.#settings.onError);
  }

  /** Forgets a session that has closed. */
  remove(session: LiveSession): void {
    const id = session.sessionId;
    if (id === undefined || this.#live.get(id) !== session) return;
    this.#live.delete(id);
    this.#touched.delete(id);
    this.#unused.delete(session);
    const client = this.#clientOf.get(session);
    if (client !== undefined) {
      this.#clientOf.delete(session);
      const own = this.#byClient.get(client);
      if (own?.delete(session) && own.size === 0) this.#byClient.delete(client);
    }
    if (!this.#settings.shared || session.kind === 'sse') {
      this.#settings.store.delete(id).catch(this.#settings.onError);
    }
    if (this.#live.size === 0) this.#stopTimer();
  }

  /**
   * Closes the sessions idle too long with nobody connected: `idleMs`, or `unusedIdleMs` for a
   * session never used beyond its handshake.
   */
  sweep(now = Date.now()): void {
    const { idleMs } = this.#settings;
    const unusedMs = Math.min(idleMs, this.#settings.unusedIdleMs);
    for (const session of this.#live.values()) {
      if (session.openConnections > 0) continue;
      if (now - session.lastSeen > (session.engaged ? idleMs : unusedMs)) this.#evict(session);
    }
  }

  /** Forgets a session at once (so that its slot is free now) and closes it. */
  #evict(session: LiveSession): void {
    this.remove(session);
    session.terminate().catch(this.#settings.onError);
  }

  /** The oldest session with nobody connected that was never used beyond its handshake. */
  #oldestIdleUnused(): LiveSession | undefined {
    for (const session of this.#unused) {
      if (session.engaged) this.#unused.delete(session);
      else if (session.openConnections === 0) return session;
    }
    return undefined;
  }

  /** Closes every session. */
  async closeAll(): Promise<void> {
    this.#stopTimer();
    await Promise.all([...this.#live.values()].map((s) => s.terminate().catch(this.#settings.onError)));
  }

  #startTimer(): void {
    const shortest = Math.min(this.#settings.idleMs, this.#settings.unusedIdleMs);
    if (this.#timer !== undefined || !Number.isFinite(shortest)) return;
    const every = Math.max(10, Math.min(60_000, Math.ceil(shortest / 2)));
    this.#timer = setInterval(() => this.sweep(), every);
    (this.#timer as { unref?: () => void }).unref?.();
  }

  #stopTimer(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

/** The idle session (nobody connected) heard from least recently, among unused ones only if asked. */
function leastRecentlyUsed(sessions: Iterable<LiveSession>, unusedOnly: boolean): LiveSession | undefined {
  let found: LiveSession | undefined;
  for (const session of sessions) {
    if (session.openConnections > 0 || (unusedOnly && session.engaged)) continue;
    if (found === undefined || session.lastSeen < found.lastSeen) found = session;
  }
  return found;
}
