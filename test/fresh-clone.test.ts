/**
 * `npm ci && npm test` works on a fresh clone: nothing the tests, the build or the examples read refers
 * to a folder beside the repository. The spec's schema files are read only by `npm run test:schemas`,
 * from the folder `MCPKIT_SCHEMA_DIR` names.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SIBLING = ['..', 'shared'].join('/');

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('a fresh clone', () => {
  it('has no file under src, test, bench or examples, nor a config, that reads a sibling folder', () => {
    const configs = readdirSync(ROOT)
      .filter((n) => n === 'package.json' || n.startsWith('tsconfig') || n.startsWith('vitest'))
      .map((n) => join(ROOT, n));
    const files = [
      ...['src', 'test', 'bench', 'examples'].flatMap((d) => filesUnder(join(ROOT, d))),
      ...configs,
    ];
    expect(files.length).toBeGreaterThan(100);
    expect(configs.length).toBeGreaterThanOrEqual(4);
    expect(files.filter((f) => readFileSync(f, 'utf8').includes(SIBLING))).toEqual([]);
  });

  it('runs the schema checks only in their own step, which CI runs after npm test', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts['test:schemas']).toBe('vitest run --config vitest.schemas.config.ts');
    const ci = readFileSync(join(ROOT, '.ci/run'), 'utf8');
    expect(ci.indexOf('npm run test:schemas')).toBeGreaterThan(ci.indexOf('npm test'));
  });

  it('packs what it builds: a prepack build, the MIT LICENSE, dist', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
      files: string[];
      license: string;
    };
    expect(pkg.scripts.prepack).toBe('npm run --silent build');
    expect(pkg.files).toEqual(expect.arrayContaining(['dist', 'LICENSE', 'README.md']));
    expect(pkg.license).toBe('MIT');
    expect(readFileSync(join(ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n/);
  });
});
