/**
 * Request ids in flight, cluster-wide: JSON-RPC ids must be unique among a session's requests in
 * flight, and in cluster mode the requests of one session run on several nodes. Each request id a
 * POST carries is claimed as a lease `req:<session id>:<id as JSON>` before the request reaches
 * the session (alongside reading the session record, so it costs no extra round trip), and
 * released just before its answer goes out, or when the session's copy closes.
 */
import type { JsonRpcRequest, JsonRpcResponse, RequestId } from '../../protocol/index.ts';
import type { LeaseKeeper } from './leases.ts';

interface Claim {
  readonly id: RequestId;
  readonly name: string;
  readonly owner: string;
}

/** The claims of one node. */
export class RequestClaims {
  readonly #keeper: LeaseKeeper;
  readonly #nodeId: string;
  readonly #bySession = new WeakMap<object, Map<RequestId, Claim>>();
  #next = 0;

  constructor(keeper: LeaseKeeper, nodeId: string) {
    this.#keeper = keeper;
    this.#nodeId = nodeId;
  }

  /** Starts claiming the ids of a POST's requests; undefined when there is nothing to claim. */
  start(sessionId: string | null, requests: readonly JsonRpcRequest[]): PostClaims | undefined {
    if (sessionId === null || requests.length === 0) return undefined;
    const claims = requests.map((r) => ({
      id: r.id,
      name: `req:${sessionId}:${JSON.stringify(r.id)}`,
      owner: `${this.#nodeId}.r${this.#next++}`,
    }));
    return new PostClaims(this, claims);
  }

  /** Takes one claim. */
  acquire(claim: Claim): Promise<boolean> {
    return this.#keeper.acquire(claim.name, claim.owner);
  }

  /** Releases one claim. */
  release(claim: Claim): Promise<void> {
    return this.#keeper.release(claim.name, claim.owner);
  }

  /** Ties claims to the session whose requests they name, until answered or closed. */
  keep(session: { readonly closed: boolean }, claims: readonly Claim[]): void {
    if (session.closed) {
      for (const c of claims) void this.release(c);
      return;
    }
    let map = this.#bySession.get(session);
    if (!map) {
      map = new Map();
      this.#bySession.set(session, map);
    }
    for (const c of claims) map.set(c.id, c);
  }

  /** Releases the claims of requests whose answers are about to go out. */
  answered(session: object, responses: readonly JsonRpcResponse[]): Promise<unknown> | undefined {
    const map = this.#bySession.get(session);
    if (!map || map.size === 0) return undefined;
    const releases: Promise<void>[] = [];
    for (const r of responses) {
      const claim = r.id === null ? undefined : map.get(r.id);
      if (!claim) continue;
      map.delete(claim.id);
      releases.push(this.release(claim));
    }
    return releases.length === 0 ? undefined : Promise.all(releases);
  }

  /** Releases every claim of a session copy that closed (its requests ended with it). */
  closed(session: object): void {
    const map = this.#bySession.get(session);
    if (!map) return;
    this.#bySession.delete(session);
    for (const c of map.values()) void this.release(c);
  }
}

/** The claims of one POST: settled before its requests reach the session. */
export class PostClaims {
  readonly #owner: RequestClaims;
  readonly #claims: readonly Claim[];
  readonly #results: Promise<PromiseSettledResult<boolean>[]>;
  #kept = false;

  constructor(owner: RequestClaims, claims: readonly Claim[]) {
    this.#owner = owner;
    this.#claims = claims;
    this.#results = Promise.allSettled(claims.map((c) => owner.acquire(c)));
  }

  /** The first request id another request of the session holds; throws when the store failed. */
  async settle(): Promise<RequestId | undefined> {
    const results = await this.#results;
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    const i = results.findIndex((r) => r.status === 'fulfilled' && !r.value);
    return i < 0 ? undefined : this.#claims[i]?.id;
  }

  /** The requests go to the session: each claim is released when its answer goes out. */
  keep(session: { readonly closed: boolean }): void {
    this.#kept = true;
    this.#owner.keep(session, this.#claims);
  }

  /** Runs the handling of the POST; unless its requests went to the session, releases what it took. */
  async around(handle: () => Promise<Response>): Promise<Response> {
    try {
      return await handle();
    } finally {
      if (!this.#kept) void this.#drop();
    }
  }

  async #drop(): Promise<void> {
    const results = await this.#results;
    await Promise.all(
      results.map((r, i) =>
        r.status === 'fulfilled' && r.value ? this.#owner.release(this.#claims[i] as Claim) : undefined,
      ),
    );
  }
}
