/**
 * `npm run build`: dist/ as the package ships it. The declarations come from tsc, one `.d.ts` per
 * source file; the JavaScript is bundled by esbuild, one file per entry of package.json's `exports`
 * and `bin` (and the server `npm start` runs), plus the chunks that several entries share
 * (dist/chunks/). Importing an entry then loads a few files instead of one per source module, which
 * is most of what an import costs in Node's module loader. Dependencies and `node:` modules stay
 * imports. The output is runtime-neutral, as the sources are: Workers and browsers take the same
 * files. Plain JavaScript, so that the benchmark can build with the machine's Node 20.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const DIST = join(ROOT, 'dist');

/** Entry points beyond `exports` and `bin`: scripts run from dist/ (`npm start`). */
const EXTRA = ['src/node/serve-http.ts'];

/** Source modules that find files relative to their own URL, and what they look for. */
const LOCATED = {
  'src/cli/version.ts': '../../package.json',
  'src/cli/inspect/server.ts': './page/',
};

/** The source file behind a `./dist/….js` path of package.json. */
function sourceOf(target) {
  if (!target.startsWith('./dist/') || !target.endsWith('.js')) {
    throw new Error(`package.json names ${target}, which the build does not make (expected ./dist/….js).`);
  }
  return `src/${target.slice('./dist/'.length, -'.js'.length)}.ts`;
}

function entryPoints() {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const targets = Object.values(pkg.exports).map((e) => (typeof e === 'string' ? e : e.default));
  const bins = typeof pkg.bin === 'string' ? [pkg.bin] : Object.values(pkg.bin ?? {});
  return [...new Set([...targets, ...bins].map(sourceOf).concat(EXTRA))];
}

rmSync(DIST, { recursive: true, force: true });

const tsc = spawnSync(
  process.execPath,
  [
    join(ROOT, 'node_modules/typescript/bin/tsc'),
    '-p',
    join(ROOT, 'tsconfig.build.json'),
    '--emitDeclarationOnly',
  ],
  { stdio: 'inherit' },
);
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

const result = await build({
  absWorkingDir: ROOT,
  entryPoints: entryPoints(),
  outdir: 'dist',
  outbase: 'src',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  packages: 'external',
  external: ['node:*'],
  chunkNames: 'chunks/[name]-[hash]',
  metafile: true,
  logLevel: 'warning',
});

// A module that finds files next to itself must land where the same relative path still leads there.
const outputOf = {};
for (const [output, meta] of Object.entries(result.metafile.outputs)) {
  for (const input of Object.keys(meta.inputs)) outputOf[input] = output;
}
for (const [source, path] of Object.entries(LOCATED)) {
  const output = outputOf[source];
  if (output === undefined) throw new Error(`The build lost ${source}.`);
  const fromSource = resolve(ROOT, dirname(source), path);
  const fromOutput = resolve(ROOT, dirname(output), path);
  if (source === 'src/cli/inspect/server.ts') {
    cpSync(fromSource, fromOutput, { recursive: true }); // the inspector's page, beside its server
  } else if (fromOutput !== fromSource) {
    throw new Error(
      `${source} looks for ${path} next to itself, but was bundled into ${output}, where that leads to ${relative(ROOT, fromOutput)}.`,
    );
  }
}
