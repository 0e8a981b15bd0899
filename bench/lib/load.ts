/**
 * The load generator: closed-loop workers that each make one call after another until the time is
 * up, recording every call's latency. A wrong answer stops the run with an error.
 */

/** One call made by a worker; `n` is unique across the run, so answers can be checked. */
export type Call = (n: number) => Promise<void>;

/** What a load run measured. */
export interface LoadResult {
  /** Calls completed. */
  calls: number;
  /** Wall time from the first call to the last answer, s. */
  seconds: number;
  /** Each call's latency, ms. */
  latencies: Float64Array;
}

/**
 * Runs one closed loop per worker for `durationMs` (each worker keeps one call in flight), then
 * waits for the calls still in flight. Rejects with the first failure.
 */
export async function closedLoop(workers: readonly Call[], durationMs: number): Promise<LoadResult> {
  let latencies = new Float64Array(4096);
  let calls = 0;
  let next = 0;
  let failure: unknown;
  const start = performance.now();
  const deadline = start + durationMs;
  const loop = async (call: Call) => {
    while (failure === undefined && performance.now() < deadline) {
      const n = next++;
      const t0 = performance.now();
      try {
        await call(n);
      } catch (error) {
        failure ??= error;
        return;
      }
      const latency = performance.now() - t0;
      if (calls === latencies.length) {
        const grown = new Float64Array(latencies.length * 2);
        grown.set(latencies);
        latencies = grown;
      }
      latencies[calls++] = latency;
    }
  };
  await Promise.all(workers.map(loop));
  const seconds = (performance.now() - start) / 1000;
  if (failure !== undefined) throw failure;
  return { calls, seconds, latencies: latencies.subarray(0, calls) };
}

/** The value at quantile `q` (0..1) of the values, by nearest rank. */
export function quantile(values: Float64Array | readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}

/** Throws when an answer is not what was asked for. */
export function expectEqual(actual: unknown, expected: unknown, what: string): void {
  if (actual !== expected) {
    throw new Error(`${what}: expected ${String(expected).slice(0, 80)}, got ${String(actual).slice(0, 80)}`);
  }
}
