/**
 * Session records: the small, serializable facts about one stateful HTTP session. The live
 * connection objects stay in the process that serves them; the record is what another process (or
 * a restart) can know about the session.
 */

/** Which HTTP transport a session runs on. */
export type SessionTransportKind = 'streamable-http' | 'sse';

/** What is stored about one session. Plain JSON data only. */
export interface SessionRecord {
  /** The session id (the `Mcp-Session-Id` header, or the `sessionId` query parameter of HTTP+SSE). */
  id: string;
  /** The transport the session runs on. */
  transport: SessionTransportKind;
  /** The revision negotiated by `initialize`, once known. */
  revision?: string;
  /** When the session was created, ms since the epoch. */
  createdAt: number;
  /** When the client was last heard from, ms since the epoch. */
  lastSeen: number;
  /** The authenticated principal the session is bound to, when there is one. */
  subject?: string;
  /** The `clientInfo` the client sent in `initialize`. */
  clientInfo?: Record<string, unknown>;
  /** The `capabilities` the client declared in `initialize`. */
  clientCapabilities?: Record<string, unknown>;
  /** The level the client set with `logging/setLevel`. */
  logLevel?: string;
  /** The resource URIs the client subscribed to. */
  subscriptions?: string[];
  /** The prefix of the session's SSE stream ids (shared by every node serving the session). */
  streamPrefix?: string;
  /** The node holding the session's connection, for transports bound to one (HTTP+SSE). */
  node?: string;
}

/** Where session records are kept. Every call is async so that the store may be remote. */
export interface SessionStore {
  /** The record of a session, or undefined when it is unknown or expired. */
  get(id: string): Promise<SessionRecord | undefined>;
  /** Creates or replaces a record. */
  set(record: SessionRecord): Promise<void>;
  /** Changes some fields of an existing record; does nothing when the record is unknown. */
  update(id: string, changes: Partial<Omit<SessionRecord, 'id'>>): Promise<void>;
  /** Forgets a session. */
  delete(id: string): Promise<void>;
  /** How many sessions are stored. */
  count(): Promise<number>;
  /**
   * Every stored record, in no particular order (records written meanwhile may be missed). Lets
   * cluster mode reach sessions no node holds a copy of (server-wide notifications).
   */
  list?(): AsyncIterable<SessionRecord>;
  /**
   * Takes the lease `name` for `owner` for `ttlMs` unless another owner holds it: resolves true
   * when taken. Leases expire by themselves unless renewed. Cluster mode claims the request ids in
   * flight and each session's GET stream with them.
   */
  acquireLease?(name: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Takes the lease `name` for `owner` whoever holds it; resolves with the other owner it replaced. */
  takeLease?(name: string, owner: string, ttlMs: number): Promise<string | undefined>;
  /** Extends leases their owners still hold; resolves, for each, whether it is still held. */
  renewLeases?(leases: readonly Lease[], ttlMs: number): Promise<boolean[]>;
  /** Gives up a lease, if `owner` still holds it. */
  releaseLease?(name: string, owner: string): Promise<void>;
}

/** A lease held by an owner. */
export interface Lease {
  readonly name: string;
  readonly owner: string;
}

/** Options of the in-memory session store. */
export interface MemorySessionStoreOptions {
  /** Milliseconds after `lastSeen` at which a record expires (default: never). */
  ttlMs?: number;
}

/** A SessionStore in process memory. Records are copied in and out, as a remote store would. */
export class MemorySessionStore implements SessionStore {
  readonly #records = new Map<string, SessionRecord>();
  readonly #leases = new Map<string, { owner: string; until: number }>();
  #lastSweep = 0;
  readonly #ttl: number;

  constructor(options: MemorySessionStoreOptions = {}) {
    this.#ttl = options.ttlMs ?? Number.POSITIVE_INFINITY;
  }

  async get(id: string): Promise<SessionRecord | undefined> {
    const record = this.#live(id);
    return record ? { ...record } : undefined;
  }

  async set(record: SessionRecord): Promise<void> {
    this.#records.set(record.id, { ...record });
  }

  async update(id: string, changes: Partial<Omit<SessionRecord, 'id'>>): Promise<void> {
    const record = this.#live(id);
    if (record) this.#records.set(id, { ...record, ...changes, id });
  }

  async delete(id: string): Promise<void> {
    this.#records.delete(id);
  }

  async count(): Promise<number> {
    for (const id of [...this.#records.keys()]) this.#live(id);
    return this.#records.size;
  }

  async *list(): AsyncIterable<SessionRecord> {
    for (const id of [...this.#records.keys()]) {
      const record = this.#live(id);
      if (record) yield { ...record };
    }
  }

  async acquireLease(name: string, owner: string, ttlMs: number): Promise<boolean> {
    this.#sweepLeases();
    if (this.#holder(name) !== undefined) return false;
    this.#leases.set(name, { owner, until: Date.now() + ttlMs });
    return true;
  }

  async takeLease(name: string, owner: string, ttlMs: number): Promise<string | undefined> {
    const previous = this.#holder(name);
    this.#leases.set(name, { owner, until: Date.now() + ttlMs });
    return previous === owner ? undefined : previous;
  }

  async renewLeases(leases: readonly Lease[], ttlMs: number): Promise<boolean[]> {
    return leases.map(({ name, owner }) => {
      const held = this.#holder(name) === owner;
      if (held) this.#leases.set(name, { owner, until: Date.now() + ttlMs });
      return held;
    });
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    if (this.#holder(name) === owner) this.#leases.delete(name);
  }

  #sweepLeases(): void {
    const now = Date.now();
    if (now - this.#lastSweep < 10_000) return;
    this.#lastSweep = now;
    for (const [name, lease] of this.#leases) if (lease.until <= now) this.#leases.delete(name);
  }

  #holder(name: string): string | undefined {
    const lease = this.#leases.get(name);
    if (lease && lease.until <= Date.now()) {
      this.#leases.delete(name);
      return undefined;
    }
    return lease?.owner;
  }

  #live(id: string): SessionRecord | undefined {
    const record = this.#records.get(id);
    if (record && Date.now() - record.lastSeen > this.#ttl) {
      this.#records.delete(id);
      return undefined;
    }
    return record;
  }
}
