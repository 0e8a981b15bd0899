/**
 * The long fuzz run: every parser's properties at scale, one line per parser (cases, time, result).
 * Usage: node scripts/fuzz.ts [--runs N] [--seed S] [--only TEXT]
 *   --runs  cases per parser, shared among its properties by weight (default 100,000)
 *   --seed  replay a failure reported with this seed
 *   --only  run the parsers whose name contains TEXT
 */
import { FUZZ_GROUPS } from '../test/fuzz/properties.ts';
import { runGroup } from '../test/fuzz/runner.ts';

function option(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at < 0 ? undefined : process.argv[at + 1];
}

const numRuns = Number(option('--runs') ?? 100_000);
const seedText = option('--seed');
const seed = seedText === undefined ? undefined : Number(seedText);
const only = option('--only')?.toLowerCase();
if (!Number.isInteger(numRuns) || numRuns < 1 || (seed !== undefined && !Number.isInteger(seed))) {
  console.error('Usage: node scripts/fuzz.ts [--runs N] [--seed S] [--only TEXT]');
  process.exit(2);
}

let failed = 0;
for (const group of FUZZ_GROUPS) {
  if (only !== undefined && !group.parser.toLowerCase().includes(only)) continue;
  const r = await runGroup(group, { numRuns, seed });
  const status = r.failures.length === 0 ? 'ok' : `FAILED (${r.failures.length})`;
  const time = `${(r.ms / 1000).toFixed(1)} s`;
  console.log(`${r.parser.padEnd(42)} ${String(r.cases).padStart(9)} cases ${time.padStart(9)}  ${status}`);
  for (const f of r.failures) {
    failed++;
    const cause = f.error.cause instanceof Error ? `\ncause: ${f.error.cause.message}` : '';
    console.log(`  ✗ ${f.property}\n${(f.error.message + cause).replace(/^/gm, '    ')}`);
  }
}
process.exit(failed === 0 ? 0 : 1);
