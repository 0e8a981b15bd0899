/**
 * Which nodes of a cluster are alive: each node holds the lease `node:<node id>` while it runs
 * (renewed with its other leases), so a node that died (even SIGKILL) is known gone once its lease
 * expires. A node following another node's POST stream asks here, so that a request whose node
 * died ends instead of leaving its resumed stream open with nothing to come.
 */
import type { JsonRpcRequest, RequestId } from '../../protocol/index.ts';
import type { LeaseKeeper, LeaseStore } from './leases.ts';

/** This node's own liveness lease, and the question whether another node is alive. */
export class NodeLiveness {
  readonly #keeper: LeaseKeeper;
  readonly #store: LeaseStore;
  readonly #nodeId: string;
  readonly #retryMs: number;
  readonly #onError: (error: Error) => void;
  #closed = false;

  constructor(
    keeper: LeaseKeeper,
    store: LeaseStore,
    nodeId: string,
    retryMs: number,
    onError: (error: Error) => void,
  ) {
    this.#keeper = keeper;
    this.#store = store;
    this.#nodeId = nodeId;
    this.#retryMs = retryMs;
    this.#onError = onError;
    this.#hold();
  }

  /** Takes this node's lease, and takes it again whenever it is lost (a Redis that came back empty). */
  #hold(): void {
    if (this.#closed) return;
    this.#keeper
      .acquire(`node:${this.#nodeId}`, this.#nodeId, () => this.#hold())
      .then((taken) => {
        if (!taken) this.#later();
      })
      .catch((error: unknown) => {
        this.#onError(error as Error);
        this.#later();
      });
  }

  #later(): void {
    const timer = setTimeout(() => this.#hold(), this.#retryMs);
    (timer as { unref?: () => void }).unref?.();
  }

  /** Whether the node `nodeId` holds its lease (this node: always); a store failure counts as alive. */
  async alive(nodeId: string): Promise<boolean> {
    if (nodeId === this.#nodeId) return true;
    const name = `node:${nodeId}`;
    const probe = `${this.#nodeId}.probe`;
    try {
      if (!(await this.#store.acquireLease(name, probe, this.#retryMs))) return true;
      await this.#store.releaseLease(name, probe);
      return false;
    } catch (error) {
      this.#onError(error as Error);
      return true;
    }
  }

  /** Stops taking the lease again (the node is leaving; the keeper gives it up). */
  close(): void {
    this.#closed = true;
  }
}

/** The longest note of request ids a stream id carries; a POST with longer ids carries none. */
const MAX_NOTE = 64;

/**
 * The id of a POST stream in cluster mode: `<prefix><node id>.<n>`, then `~` and the request ids it
 * answers (URI-encoded JSON) when they are short, so that another node can answer them if this one dies.
 */
export function postStreamId(
  prefix: string,
  nodeId: string,
  n: number,
  requests: readonly JsonRpcRequest[],
): string {
  const base = `${prefix}${nodeId}.${n}`;
  if (requests.length === 0) return base;
  const only = requests.length === 1 ? requests[0]?.id : undefined;
  if (typeof only === 'number') return `${base}~%5B${only}%5D`; // the usual case: [<integer>]
  const note = encodeURIComponent(JSON.stringify(requests.map((r) => r.id)));
  return note.length <= MAX_NOTE ? `${base}~${note}` : base;
}

/** What a POST stream id of cluster mode says: the node writing it, and the request ids it answers (when noted). */
export function writerOf(streamId: string): { node: string; requests: RequestId[] } | undefined {
  const dot = streamId.indexOf('.');
  const next = streamId.indexOf('.', dot + 1);
  if (dot < 0 || next < 0) return undefined;
  const node = streamId.slice(dot + 1, next);
  const tilde = streamId.indexOf('~', next);
  let requests: RequestId[] = [];
  if (tilde >= 0) {
    try {
      const ids: unknown = JSON.parse(decodeURIComponent(streamId.slice(tilde + 1)));
      if (Array.isArray(ids))
        requests = ids.filter((id) => typeof id === 'string' || Number.isSafeInteger(id));
    } catch {
      requests = [];
    }
  }
  return { node, requests };
}
