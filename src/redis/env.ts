/** The Redis settings `npm start` and `mcpkit serve` read from the environment, besides REDIS_URL. */
import type { ConnectRedisOptions } from './connect.ts';

/**
 * `REDIS_WAIT_REPLICAS` (replicas that must hold each write, the safe setting for failover) and
 * `REDIS_WAIT_TIMEOUT_MS` as connectRedis options; throws a clear error for a value that is not a
 * whole number.
 */
export function redisOptionsFromEnv(env: Record<string, string | undefined>): ConnectRedisOptions {
  const options: ConnectRedisOptions = {};
  const replicas = whole(env, 'REDIS_WAIT_REPLICAS', 'replicas (0 or more)');
  if (replicas !== undefined) options.waitReplicas = replicas;
  const timeout = whole(env, 'REDIS_WAIT_TIMEOUT_MS', 'milliseconds (1 or more)');
  if (timeout !== undefined) options.waitTimeoutMs = Math.max(1, timeout);
  return options;
}

function whole(env: Record<string, string | undefined>, name: string, what: string): number | undefined {
  const text = env[name];
  if (text === undefined || text === '') return undefined;
  const n = Number(text);
  if (!/^[0-9]{1,9}$/.test(text.trim()) || !Number.isInteger(n)) {
    throw new Error(`${name} must be a whole number of ${what}, not '${text}'.`);
  }
  return n;
}
