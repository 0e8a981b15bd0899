/**
 * The benchmark measures what a user runs: every file under bench/ reaches mcpkit only through the
 * package's public exports (by package name, resolved to the built dist/), never through a path into
 * src/ or dist/. The checker is shown failing on imports that break the rule.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const BENCH = join(ROOT, 'bench');

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  exports: Record<string, unknown>;
};
const EXPORTED = new Set(
  Object.keys(pkg.exports).map((k) => (k === '.' ? pkg.name : `${pkg.name}/${k.slice(2)}`)),
);

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|new URL\(\s*)(['"`])([^'"`]+)\1/g;

/** The imports of `text` (a file at `path`) that do not go through the package's public exports. */
function badImports(path: string, text: string): string[] {
  const bad: string[] = [];
  for (const [, , specifier] of text.matchAll(SPECIFIER)) {
    if (specifier === undefined) continue;
    if (specifier === pkg.name || specifier.startsWith(`${pkg.name}/`)) {
      if (!EXPORTED.has(specifier)) bad.push(`${specifier} (not in the exports map)`);
    } else if (specifier.startsWith('.')) {
      const target = relative(BENCH, resolve(dirname(path), specifier.replace(/\$\{[^}]*\}/g, 'x')));
      if (target.startsWith('..')) bad.push(`${specifier} (outside bench/)`);
    }
  }
  return bad;
}

function benchFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? benchFiles(join(dir, e.name))
      : /\.(ts|mjs|js)$/.test(e.name)
        ? [join(dir, e.name)]
        : [],
  );
}

describe('bench/ imports mcpkit only through its public exports', () => {
  it('holds for every file under bench/', () => {
    const files = benchFiles(BENCH);
    expect(files.length).toBeGreaterThan(5);
    const found = files.flatMap((f) =>
      badImports(f, readFileSync(f, 'utf8')).map((b) => `${relative(ROOT, f)}: ${b}`),
    );
    expect(found).toEqual([]);
    const mcpkit = readFileSync(join(BENCH, 'servers/mcpkit.ts'), 'utf8');
    expect(mcpkit).toMatch(/from 'mcpkit\/server'/);
  });

  it('the check catches source paths, dist paths and subpaths the exports map does not offer', () => {
    const file = join(BENCH, 'servers/x.ts');
    expect(
      badImports(
        file,
        [
          "import { McpServer } from '../../src/server/index.ts';",
          "const m = await import('../../dist/node/index.js');",
          "import { x } from 'mcpkit/node/stdio-server';",
          // biome-ignore lint/suspicious/noTemplateCurlyInString: source text under test
          'const f = new URL(`../../src/${path}.ts`, import.meta.url);',
          "import { ok } from 'mcpkit/server';",
          "import { fine } from './shared.ts';",
        ].join('\n'),
      ),
    ).toEqual([
      '../../src/server/index.ts (outside bench/)',
      '../../dist/node/index.js (outside bench/)',
      'mcpkit/node/stdio-server (not in the exports map)',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: source text under test
      '../../src/${path}.ts (outside bench/)',
    ]);
  });
});
