/**
 * The safe setting against losing writes in a failover: Redis replicates asynchronously, so a
 * write the primary acknowledged may not have reached a replica when the primary dies. With
 * `waitReplicas`, each write of a session record or an event is followed by `WAIT` on the same
 * connection, and counts as done only once that many replicas hold it; otherwise it fails (HTTP 503).
 */
import { isCluster, type RedisClient } from './client.ts';

/** Waits until replicas hold the writes just made to a key; throws when too few do in time. */
export type Durability = (key: string) => Promise<void>;

/** A Durability that waits for `replicas` replicas, `timeoutMs` at most. */
export function waitForReplicas(client: RedisClient, replicas: number, timeoutMs: number): Durability {
  const want = Math.max(1, Math.round(replicas));
  const timeout = Math.max(1, Math.round(timeoutMs));
  return async (key) => {
    let held: number;
    if (isCluster(client)) {
      // A pipeline goes to the primary owning its key, on the connection the write went through.
      const replies = (await client.pipeline().exists(key).call('wait', want, timeout).exec()) ?? [];
      const [error, reply] = replies[1] ?? [new Error('no reply to WAIT')];
      if (error) throw error;
      held = Number(reply);
    } else {
      held = await client.wait(want, timeout);
    }
    if (held < want) {
      throw new Error(`the write reached ${held} of ${want} replicas within ${timeout} ms`);
    }
  };
}
