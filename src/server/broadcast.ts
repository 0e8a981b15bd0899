/**
 * Server-wide notifications (resource updated, list changed) and the listeners that deliver them
 * beyond this process: a transport layer serving sessions on several nodes (cluster mode) takes
 * the sessions it can reach itself, and the server sends to the rest as usual.
 */

/** A notification raised for every session, or for every subscriber of a resource. */
export interface Broadcast {
  readonly method: string;
  readonly params?: Record<string, unknown>;
  /** Only sessions subscribed to this resource URI get it; absent: every initialized session. */
  readonly uri?: string;
}

/** What a listener delivers itself: sessions by id, and when it is done. */
export interface BroadcastClaim {
  handles(sessionId: string): boolean;
  done: Promise<void>;
}

/** Takes a broadcast; returns the sessions it delivers to itself (the server skips them), if any. */
export type BroadcastListener = (broadcast: Broadcast) => BroadcastClaim | undefined;

/** What raising a broadcast tells the server: which sessions to skip, and what to wait for. */
export interface Raised {
  skips(sessionId: string | undefined): boolean;
  done: Promise<void>[];
}

const NONE: Raised = { skips: () => false, done: [] };

/** Hands a broadcast to every listener. */
export function raise(listeners: ReadonlySet<BroadcastListener>, broadcast: Broadcast): Raised {
  if (listeners.size === 0) return NONE;
  const claims: BroadcastClaim[] = [];
  for (const listener of listeners) {
    try {
      const claim = listener(broadcast);
      if (claim) claims.push(claim);
    } catch {
      // a listener that fails delivers nothing; the server still reaches its own sessions
    }
  }
  return {
    skips: (id) => id !== undefined && claims.some((c) => c.handles(id)),
    done: claims.map((c) => c.done),
  };
}
