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
const EXTRA = ['src/node/serve-http.ts', 'src/schema/runtime-node.ts', 'src/schema/runtime-web.ts'];

/**
 * `#schema-runtime` (package.json `imports`) picks a module of the sources by export condition; the
 * built files import `#mcpkit-schema-runtime` instead, which picks the built module, at the user's
 * side (Node, or the bundler of a Worker or a page), so the choice is not made here.
 */
const schemaRuntime = {
  name: 'schema-runtime',
  setup(b) {
    b.onResolve({ filter: /^#schema-runtime$/ }, () => ({ path: '#mcpkit-schema-runtime', external: true }));
  },
};

/**
 * Source modules that read `import.meta.url`, and what they find from it: a file or folder at a path
 * relative to themselves (`path`, and `copy` when the build puts it beside the bundled module), or
 * `anywhere` when what they find (a package, through `createRequire`) does not depend on where the
 * module lands. The build fails on a module that reads it and is not listed here.
 */
const LOCATED = {
  'src/cli/version.ts': { path: '../../package.json' },
  'src/cli/inspect/server.ts': { path: './page/', copy: true },
  'src/schema/runtime-node.ts': { anywhere: true },
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
  plugins: [schemaRuntime],
  logLevel: 'warning',
});

// A module that finds files next to itself must land where the same relative path still leads there.
for (const [output, meta] of Object.entries(result.metafile.outputs)) {
  for (const source of Object.keys(meta.inputs)) {
    if (!source.startsWith('src/') || !readFileSync(join(ROOT, source), 'utf8').includes('import.meta.url')) {
      continue;
    }
    const located = LOCATED[source];
    if (located === undefined) {
      throw new Error(
        `${source} reads import.meta.url: say in scripts/build.mjs (LOCATED) what it finds with it.`,
      );
    }
    if (located.anywhere) continue;
    const fromSource = resolve(ROOT, dirname(source), located.path);
    const fromOutput = resolve(ROOT, dirname(output), located.path);
    if (located.copy) cpSync(fromSource, fromOutput, { recursive: true });
    else if (fromOutput !== fromSource) {
      throw new Error(
        `${source} looks for ${located.path} next to itself, but was bundled into ${output}, where that leads to ${relative(ROOT, fromOutput)}.`,
      );
    }
  }
}
