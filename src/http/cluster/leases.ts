/**
 * The leases one node holds in the shared session store (cluster mode): the ids of the requests it
 * is serving and the GET streams whose connection it holds. A lease lives `ttlMs` unless renewed;
 * the node renews all it holds in one batch every third of that, so a lease outlives its holder
 * (a node that died) by at most `ttlMs`.
 */
import type { Lease, SessionStore } from '../../store/index.ts';

/** A session store that keeps leases. */
export type LeaseStore = Required<
  Pick<SessionStore, 'acquireLease' | 'takeLease' | 'renewLeases' | 'releaseLease'>
>;

/** Whether a session store keeps leases. */
export function keepsLeases(store: SessionStore): store is SessionStore & LeaseStore {
  return (
    store.acquireLease !== undefined &&
    store.takeLease !== undefined &&
    store.renewLeases !== undefined &&
    store.releaseLease !== undefined
  );
}

interface Held {
  owner: string;
  onLost: (() => void) | undefined;
}

/** The leases of one node, renewed while held. */
export class LeaseKeeper {
  readonly #store: LeaseStore;
  readonly #ttl: number;
  readonly #onError: (error: Error) => void;
  readonly #held = new Map<string, Held>();
  #timer: ReturnType<typeof setInterval> | undefined;
  #renewing = false;

  constructor(store: LeaseStore, ttlMs: number, onError: (error: Error) => void) {
    this.#store = store;
    this.#ttl = ttlMs;
    this.#onError = onError;
  }

  /** Leases held right now (for tests and metrics). */
  get size(): number {
    return this.#held.size;
  }

  /** Takes a lease unless another owner holds it; true when taken. `onLost` runs if it is lost. */
  async acquire(name: string, owner: string, onLost?: () => void): Promise<boolean> {
    const taken = await this.#store.acquireLease(name, owner, this.#ttl);
    if (taken) this.#hold(name, owner, onLost);
    return taken;
  }

  /**
   * Takes a lease whoever holds it; resolves with the owner it replaced. A replaced holder on this
   * node is told at once; one on another node learns it when it renews, or when told.
   */
  async take(name: string, owner: string, onLost?: () => void): Promise<string | undefined> {
    const previous = await this.#store.takeLease(name, owner, this.#ttl);
    this.#hold(name, owner, onLost);
    return previous;
  }

  /** Gives up a lease (when `owner` still holds it). */
  release(name: string, owner: string): Promise<void> {
    if (this.#held.get(name)?.owner === owner) {
      this.#held.delete(name);
      if (this.#held.size === 0) this.#stop();
    }
    return this.#store.releaseLease(name, owner).catch(this.#onError);
  }

  /** Notes that a lease this node held was taken by someone else (told over the bus). */
  lost(name: string, owner: string): void {
    const held = this.#held.get(name);
    if (held?.owner !== owner) return;
    this.#held.delete(name);
    if (this.#held.size === 0) this.#stop();
    held.onLost?.();
  }

  /** Stops renewing and gives up every lease (the node is leaving). */
  async close(): Promise<void> {
    this.#stop();
    const held = [...this.#held];
    this.#held.clear();
    await Promise.all(held.map(([name, h]) => this.#store.releaseLease(name, h.owner).catch(this.#onError)));
  }

  #hold(name: string, owner: string, onLost: (() => void) | undefined): void {
    const before = this.#held.get(name);
    this.#held.set(name, { owner, onLost });
    if (before && before.owner !== owner) before.onLost?.();
    if (this.#timer === undefined) {
      this.#timer = setInterval(() => void this.#renew(), Math.max(50, Math.floor(this.#ttl / 3)));
      (this.#timer as { unref?: () => void }).unref?.();
    }
  }

  #stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #renew(): Promise<void> {
    if (this.#renewing || this.#held.size === 0) return;
    this.#renewing = true;
    const leases: Lease[] = [...this.#held].map(([name, held]) => ({ name, owner: held.owner }));
    try {
      const still = await this.#store.renewLeases(leases, this.#ttl);
      leases.forEach((lease, i) => {
        if (still[i] === false) this.lost(lease.name, lease.owner);
      });
    } catch (error) {
      this.#onError(error as Error); // kept: the next renewal tries again
    } finally {
      this.#renewing = false;
    }
  }
}
