/**
 * Property definitions shared by the `*.fuzz.test.ts` files (a few hundred cases per property) and by
 * the long run in scripts/fuzz.ts (a hundred thousand cases per parser).
 */
import fc from 'fast-check';

/** Options of one run of a property. */
export interface FuzzRunOptions {
  /** Cases to run. */
  numRuns: number;
  /** The seed, to replay a reported failure. */
  seed?: number;
}

/** One property of one parser. */
export interface FuzzProperty {
  /** What the property claims, as a sentence. */
  readonly name: string;
  /** Relative share of a case budget (costly properties get less). */
  readonly weight: number;
  /** Runs the property; rejects with fast-check's report (counterexample, seed, path) on failure. */
  run(options: FuzzRunOptions): Promise<void>;
}

/** The properties of one parser. */
export interface FuzzGroup {
  /** The parser, as printed by the long run. */
  readonly parser: string;
  /** Its properties. */
  readonly properties: readonly FuzzProperty[];
}

/** Defines a property from a builder; each run builds a fresh fast-check property. */
export function defineProperty<Ts>(name: string, build: () => fc.IRawProperty<Ts>, weight = 1): FuzzProperty {
  return {
    name,
    weight,
    async run({ numRuns, seed }) {
      const params: fc.Parameters<Ts> = { numRuns: Math.max(1, Math.round(numRuns)) };
      if (seed !== undefined) params.seed = seed;
      await fc.assert(build(), params);
    },
  };
}

/** How `total` cases split over a group's properties, by weight (each gets at least one). */
export function shareCases(group: FuzzGroup, total: number): number[] {
  const sum = group.properties.reduce((s, p) => s + p.weight, 0);
  return group.properties.map((p) => Math.max(1, Math.round((total * p.weight) / sum)));
}

/** The result of running one group. */
export interface GroupResult {
  /** The parser. */
  parser: string;
  /** Cases run, over all its properties. */
  cases: number;
  /** Time taken, ms. */
  ms: number;
  /** The properties that failed, with fast-check's report. */
  failures: Array<{ property: string; error: Error }>;
}

/** Runs a group with `numRuns` cases in all, collecting failures instead of stopping at the first. */
export async function runGroup(group: FuzzGroup, options: FuzzRunOptions): Promise<GroupResult> {
  const started = performance.now();
  const result: GroupResult = { parser: group.parser, cases: 0, ms: 0, failures: [] };
  const shares = shareCases(group, options.numRuns);
  for (const [i, property] of group.properties.entries()) {
    result.cases += shares[i];
    try {
      await property.run({ numRuns: shares[i], seed: options.seed });
    } catch (error) {
      result.failures.push({
        property: property.name,
        error: error instanceof Error ? error : new Error(String(error)),
      });
    }
  }
  result.ms = performance.now() - started;
  return result;
}

/** Cases per property of weight 1 in `npm test`. */
export const TEST_RUNS = 500;

/** Runs one property at the `npm test` budget (TEST_RUNS times its weight). */
export function runFuzzProperty(property: FuzzProperty, numRuns = TEST_RUNS): Promise<void> {
  return property.run({ numRuns: numRuns * property.weight });
}
