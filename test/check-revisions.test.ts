/**
 * The revision check (scripts/check-revisions.ts) passes on the project's own src/ and fails on a
 * switch over method names or an unexplained revision comparison outside protocol/.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkRevisions } from '../scripts/check-revisions.ts';

const root = join(import.meta.dirname, '..');
const trees: string[] = [];

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'mcpkit-revisions-'));
  trees.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

afterEach(() => {
  for (const dir of trees.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the revision check', () => {
  it('passes on src/', () => {
    expect(checkRevisions(join(root, 'src'))).toEqual([]);
  });

  it('fails on a switch over method names outside protocol/, and says what to do', () => {
    const dir = tree({
      'server/x.ts':
        "export function f(m: string) {\n  switch (m) {\n    case 'tools/list':\n      return 1;\n  }\n}\n",
      'protocol/y.ts':
        "export function g(m: string) {\n  switch (m) {\n    case 'tools/list':\n      return 1;\n  }\n}\n",
    });
    expect(checkRevisions(dir)).toEqual([
      'server/x.ts:3: a switch over method names; make it a table keyed by method',
    ]);
  });

  it('fails on a revision comparison without a reason, and passes once one is given', () => {
    const bare = "export const a = (v: string) => v === '2025-03-26';\n";
    const dir = tree({ 'http/a.ts': bare });
    const found = checkRevisions(dir);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^http\/a\.ts:1: a revision test without a '\/\/ revision: <why>' comment/);
    const dir2 = tree({ 'http/a.ts': `// revision: a version the user typed\n${bare}` });
    expect(checkRevisions(dir2)).toEqual([]);
  });

  it('exits 1 from the command line on a violation', () => {
    const dir = tree({ 'client/b.ts': 'export const b = (v: unknown) => isLegacyRevision(v);\n' });
    const run = spawnSync(process.execPath, [join(root, 'scripts', 'check-revisions.ts'), dir], {
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('client/b.ts:1');
  });
});
