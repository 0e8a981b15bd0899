/** The shape of a benchmark scenario, and the throughput runner most scenarios share. */
import { type Call, closedLoop, quantile } from './load.ts';
import { type Contender, type ProcessPolicy, startCpuMeter } from './proc.ts';

/** One repetition's numbers, by metric key. */
export type Metrics = Record<string, number>;

/** How a metric is shown. */
export interface MetricSpec {
  /** Key in Metrics. */
  key: string;
  /** Column label. */
  label: string;
  /** Digits after the point. */
  digits: number;
  /** Whether more is better (for ratios against raw). */
  better: 'higher' | 'lower';
}

/** Settings shared by every scenario of a run. */
export interface RunSettings {
  /** How server processes are started. */
  policy: ProcessPolicy;
  /** Length of one measured window, ms. */
  windowMs: number;
  /** Warm-up before the first repetition, ms. */
  warmupMs: number;
  /** Sessions opened for the memory scenario. */
  sessions: number;
  /** Spawns per repetition of the start-up and import scenarios. */
  spawns: number;
}

/** A contender set up for a scenario. */
export interface Runner {
  /** Runs unmeasured load so that code is compiled and caches are warm. */
  warmup(): Promise<void>;
  /** Measures one repetition. */
  measure(): Promise<Metrics>;
  /** Tears down clients and servers. */
  close(): Promise<void>;
}

/** A scenario: what is measured, for whom, and how a contender is set up. */
export interface Scenario {
  /** Short id, used by `--only`. */
  id: string;
  /** Heading. */
  title: string;
  /** One line on what exactly runs. */
  detail: string;
  /** The contenders, raw first. */
  contenders: readonly Contender[];
  /** The metrics, main metric first. */
  metrics: readonly MetricSpec[];
  /** At most this many repetitions (for slow, steady measurements). */
  maxReps?: number;
  /** Metrics shown as ratios to raw (paired per repetition). */
  ratioKeys: readonly string[];
  /** Sets up one contender. */
  setup(contender: Contender, settings: RunSettings): Promise<Runner>;
}

/** The metrics of a throughput scenario. */
export const THROUGHPUT_METRICS: readonly MetricSpec[] = [
  { key: 'rate', label: 'calls/s', digits: 0, better: 'higher' },
  { key: 'p50', label: 'p50 ms', digits: 3, better: 'lower' },
  { key: 'p99', label: 'p99 ms', digits: 3, better: 'lower' },
  { key: 'cpu', label: 'server CPU µs/call', digits: 1, better: 'lower' },
  { key: 'ccpu', label: 'client CPU µs/call', digits: 1, better: 'lower' },
];

/**
 * A runner that drives `workers` in closed loops; the server's CPU comes from /proc, the client's
 * (this process, the load generator) from process.cpuUsage.
 */
export function throughputRunner(
  settings: RunSettings,
  pid: number,
  workers: readonly Call[],
  close: () => Promise<void>,
  windowMs = settings.windowMs,
): Runner {
  return {
    warmup: async () => {
      await closedLoop(workers, settings.warmupMs);
    },
    measure: async () => {
      collectGarbage();
      const cpu = startCpuMeter(pid);
      const client = process.cpuUsage();
      const r = await closedLoop(workers, windowMs);
      const micros = cpu();
      const used = process.cpuUsage(client);
      return {
        rate: r.calls / r.seconds,
        p50: quantile(r.latencies, 0.5),
        p99: quantile(r.latencies, 0.99),
        cpu: micros / r.calls,
        ccpu: (used.user + used.system) / r.calls,
      };
    },
    close,
  };
}

/** Runs a full GC in this process when node was started with --expose-gc. */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
