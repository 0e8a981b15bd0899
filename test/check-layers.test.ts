import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkLayers } from '../scripts/check-layers.ts';

const root = join(import.meta.dirname, '..');
const script = join(root, 'scripts', 'check-layers.ts');
const trees: string[] = [];

/** A src tree made of the given files (path → text). */
function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'mcpkit-layers-'));
  trees.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const run = (srcDir?: string) =>
  spawnSync(process.execPath, srcDir === undefined ? [script] : [script, srcDir], { encoding: 'utf8' });

afterEach(() => {
  for (const dir of trees.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the layer check', () => {
  it('passes on the real tree', () => {
    expect(checkLayers(join(root, 'src'))).toEqual([]);
    const result = run();
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('passes on a tree that imports down, through entries', () => {
    const dir = tree({
      'protocol/index.ts': 'export const a = 1;\n',
      'rpc/index.ts': "export * from './peer.ts';\n",
      'rpc/peer.ts': "import { a } from '../protocol/index.ts';\nexport const b = a;\n",
      'index.ts': "export * from './rpc/index.ts';\n",
    });
    expect(checkLayers(dir)).toEqual([]);
  });

  it('fails, naming file, line and fix, on an import past another folder’s index', () => {
    const dir = tree({
      'protocol/index.ts': "export * from './jsonrpc.ts';\n",
      'protocol/jsonrpc.ts': 'export const a = 1;\n',
      'rpc/index.ts': "\nimport { a } from '../protocol/jsonrpc.ts';\nexport const b = a;\n",
    });
    const result = run(dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'src/rpc/index.ts:2 imports src/protocol/jsonrpc.ts, past the entry of protocol/: import from src/protocol/index.ts',
    );
    expect(result.stderr).toContain('1 layer violation(s)');
  });

  it('fails on an import up the order, and on the circle it closes', () => {
    const dir = tree({
      'protocol/index.ts': "import type { B } from '../rpc/index.ts';\nexport type A = B;\n",
      'rpc/index.ts': "import type { A } from '../protocol/index.ts';\nexport type B = string | A[];\n",
    });
    const problems = checkLayers(dir);
    expect(problems).toContainEqual(
      expect.stringMatching(
        /^src\/protocol\/index\.ts:1 imports rpc\/, which is above protocol\/ in the layer order/,
      ),
    );
    expect(problems).toContain('An import circle between folders: protocol, rpc.');
    expect(problems).toContain('An import circle between files: src/protocol/index.ts, src/rpc/index.ts.');
  });

  it('fails on a circle between files of one folder, type imports included', () => {
    const dir = tree({
      'http/index.ts': "export * from './a.ts';\n",
      'http/a.ts': "import type { B } from './b.ts';\nexport type A = B[];\n",
      'http/b.ts': "import type { A } from './a.ts';\nexport type B = A | string;\n",
    });
    expect(checkLayers(dir)).toEqual(['An import circle between files: src/http/a.ts, src/http/b.ts.']);
  });

  it('counts a subfolder as part of its folder: free within it, through the entries from outside', () => {
    const dir = tree({
      'server/index.ts': 'export const s = 1;\n',
      'http/index.ts': "export * from './wing/a.ts';\n",
      'http/c.ts': 'export const c = 1;\n',
      'http/wing/a.ts':
        "import { s } from '../../server/index.ts';\nimport { c } from '../c.ts';\nexport const a = s + c;\n",
      'node/index.ts': "import { a } from '../http/wing/a.ts';\nexport const n = a;\n",
    });
    expect(checkLayers(dir)).toEqual([
      expect.stringMatching(
        /^src\/node\/index\.ts:1 imports src\/http\/wing\/a\.ts, past the entry of http\//,
      ),
    ]);
  });

  it('fails on a lazy import up the order that the table does not excuse', () => {
    const dir = tree({
      'server/index.ts': "export const load = () => import('../compose/index.ts');\n",
      'compose/index.ts': 'export const c = 1;\n',
    });
    expect(checkLayers(dir)).toEqual([
      expect.stringMatching(/^src\/server\/index\.ts:1 imports compose\/, which is above server\//),
    ]);
  });

  it('fails on a folder that has no place in the order', () => {
    const dir = tree({
      'protocol/index.ts': "export * from '../gadgets/index.ts';\n",
      'gadgets/index.ts': 'export const g = 1;\n',
    });
    expect(checkLayers(dir)).toContain(
      'src/gadgets/ has no place in the layer order: add it to LAYERS in scripts/check-layers.ts.',
    );
  });
});
