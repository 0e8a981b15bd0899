/**
 * `npm run bench`: builds the package (dist/) and the benchmark (.bench/), then runs the benchmark on
 * the machine's own Node — the one running npm — or on the Node named by `--node <path>`. Plain
 * JavaScript, so that any Node can start it; every other argument goes to bench/run.ts.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const at = args.indexOf('--node');
let node = process.env.npm_node_execpath ?? process.execPath;
if (at !== -1) {
  node = args[at + 1];
  if (!node) {
    console.error('--node takes the path of a node binary.');
    process.exit(2);
  }
  args.splice(at, 2);
}

const tsc = join(root, 'node_modules/typescript/bin/tsc');
for (const argv of [[join(root, 'scripts/build.mjs')], [tsc, '-p', join(root, 'tsconfig.bench.json')]]) {
  const built = spawnSync(process.execPath, argv, { stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}
// The report repeats the command as it was typed, --node included.
const run = spawnSync(node, ['--expose-gc', join(root, '.bench/bench/run.js'), ...args], {
  stdio: 'inherit',
  cwd: root,
  env: { ...process.env, MCPKIT_BENCH_ARGS: JSON.stringify(process.argv.slice(2)) },
});
process.exit(run.status ?? 1);
