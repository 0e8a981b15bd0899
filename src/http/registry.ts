/**
 * The live sessions of one handler: lookup by id and kind, a cap on their number, idle eviction,
 * and the matching records in the SessionStore.
 */
import type { SessionRecord, SessionStore, SessionTransportKind } from '../store/index.ts';

/** What the registry needs of a live session. */
export interface LiveSession {
  readonly sessionId: string | undefined;
  readonly kind: SessionTransportKind;
  lastSeen: number;
  readonly openConnections: number;
  /** The principal the session is bound to, when the handler authenticates. */
  readonly subject?: string | undefined;
  terminate(): Promise<void>;
}

/** Settings of the registry. */
export interface RegistrySettings {
  idleMs: number;
  maxSessions: number;
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
  readonly #settings: RegistrySettings;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(settings: RegistrySettings) {
    this.#settings = settings;
  }

  /** Number of live sessions. */
  get size(): number {
    return this.#live.size;
  }

  /** Whether a new session must be refused (after evicting idle ones). */
  full(): boolean {
    if (this.#live.size < this.#settings.maxSessions) return false;
    this.sweep();
    return this.#live.size >= this.#settings.maxSessions;
  }

  /** Adds a session and stores its record. */
  add(session: LiveSession & { readonly sessionId: string }): void {
    const now = Date.now();
    this.#live.set(session.sessionId, session);
    this.#touched.set(session.sessionId, now);
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
    if (!this.#settings.shared || session.kind === 'sse') {
      this.#settings.store.delete(id).catch(this.#settings.onError);
    }
    if (this.#live.size === 0) this.#stopTimer();
  }

  /** Closes the sessions that have been idle too long with nobody connected. */
  sweep(now = Date.now()): void {
    for (const session of this.#live.values()) {
      if (session.openConnections > 0) continue;
      if (now - session.lastSeen > this.#settings.idleMs) {
        session.terminate().catch(this.#settings.onError);
      }
    }
  }

  /** Closes every session. */
  async closeAll(): Promise<void> {
    this.#stopTimer();
    await Promise.all([...this.#live.values()].map((s) => s.terminate().catch(this.#settings.onError)));
  }

  #startTimer(): void {
    if (this.#timer !== undefined || !Number.isFinite(this.#settings.idleMs)) return;
    const every = Math.max(10, Math.min(60_000, Math.ceil(this.#settings.idleMs / 2)));
    this.#timer = setInterval(() => this.sweep(), every);
    (this.#timer as { unref?: () => void }).unref?.();
  }

  #stopTimer(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
