/**
 * The safe setting against losing writes in a failover: Redis replicates asynchronously, so a
 * write the primary acknowledged may not have reached a replica when the primary dies. With
 * `waitReplicas`, each write of a session record or an event is followed by `WAIT` on the same
 * connection, and counts as done only once that many replicas hold it; otherwise it fails (HTTP 503).
 *
 * WAIT blocks the connection it is sent on (Redis reads nothing more from it until WAIT returns),
 * and all the commands of a node to one primary go through one connection. So the writes on one
 * connection share their WAITs: one runs at a time, and the writes made while it runs wait
 * together for the next (a WAIT counts the replicas holding every write made on its connection
 * before it). A WAIT per write would queue them one behind another, each taking the whole timeout
 * while a replica is missing, and every other command to that primary behind them.
 *
 * A primary with fewer replicas connected than asked for (a replica just promoted, before its own
 * replica is back) cannot confirm a write: before the first WAIT on a connection, and after a WAIT
 * that came back short, the primary is asked (`ROLE`) how many replicas it has, and with too few
 * the writes fail at once instead of each waiting the timeout out.
 */
import { type Cluster, Command, type Redis } from 'ioredis';
import { isCluster, type RedisClient } from './client.ts';

/** Waits until replicas hold the writes just made to a key; throws when too few do in time. */
export type Durability = (key: string) => Promise<void>;

/** The WAITs of one connection. */
interface Line {
  /** The WAIT running (settled when it returns). */
  running?: Promise<void>;
  /** The next WAIT, shared by the writes made while one runs. */
  next?: Promise<Reached>;
  /** Whether to count the primary's replicas before the next WAIT (first use, or the last was short). */
  check: boolean;
}

/** How many replicas hold the writes, or (`connected`) that the primary has too few to wait for. */
type Reached = { held: number } | { connected: number };

/** A Durability that waits for `replicas` replicas, `timeoutMs` at most. */
export function waitForReplicas(client: RedisClient, replicas: number, timeoutMs: number): Durability {
  const want = Math.max(1, Math.round(replicas));
  const timeout = Math.max(1, Math.round(timeoutMs));
  const lines = new WeakMap<Redis, Line>();

  const wait = async (connection: Redis, line: Line): Promise<Reached> => {
    if (line.check) {
      // ROLE may be refused (ACL): then WAIT tells.
      const connected = await connection.role().then(connectedReplicas, () => undefined);
      if (connected !== undefined && connected < want) return { connected };
    }
    const held = Number(await connection.wait(want, timeout));
    line.check = held < want;
    return { held };
  };

  const viaPipeline = async (cluster: Cluster, key: string): Promise<Reached> => {
    const replies = (await cluster.pipeline().exists(key).call('wait', want, timeout).exec()) ?? [];
    const [error, reply] = replies[1] ?? [new Error('no reply to WAIT')];
    if (error) throw error;
    return { held: Number(reply) };
  };

  return async (key) => {
    const connection = isCluster(client) ? primaryOf(client, key) : client;
    let reached: Reached;
    if (connection) {
      let line = lines.get(connection);
      if (!line) {
        line = { check: true };
        lines.set(connection, line);
      }
      const mine = line;
      reached = await nextWait(line, () => wait(connection, mine));
    } else {
      reached = await viaPipeline(client as Cluster, key); // a slot whose primary is not known
    }
    if ('connected' in reached) {
      throw new Error(
        `the write cannot reach ${want} replicas: the primary has ${reached.connected} connected`,
      );
    }
    if (reached.held < want) {
      throw new Error(`the write reached ${reached.held} of ${want} replicas within ${timeout} ms`);
    }
  };
}

/**
 * The WAIT of a write just made: shared with the other writes on the connection, sent at once
 * when none runs there, else as soon as the running one returns (which may not count this write).
 */
function nextWait(line: Line, send: () => Promise<Reached>): Promise<Reached> {
  if (line.next) return line.next;
  const start = (): Promise<Reached> => {
    line.next = undefined;
    const sent = send();
    const running = sent.then(
      () => {},
      () => {},
    );
    line.running = running;
    void running.then(() => {
      if (line.running === running) line.running = undefined;
    });
    return sent;
  };
  if (!line.running) return start();
  const next = line.running.then(start);
  line.next = next;
  return next;
}

/** The replicas connected to a primary, from its ROLE reply (undefined when it is no primary). */
function connectedReplicas(role: unknown): number | undefined {
  return Array.isArray(role) && role[0] === 'master' && Array.isArray(role[2]) ? role[2].length : undefined;
}

/** The connection to the primary owning a key's slot: the one the key's commands go through. */
function primaryOf(cluster: Cluster, key: string): Redis | undefined {
  const slot = new Command('exists', [key], { keyPrefix: cluster.options.keyPrefix }).getSlot();
  const owner = slot === null ? undefined : cluster.slots[slot]?.[0];
  if (owner === undefined) return undefined;
  return cluster.nodes('master').find((node) => `${node.options.host}:${node.options.port}` === owner);
}
