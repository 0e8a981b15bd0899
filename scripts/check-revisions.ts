/**
 * The revision check: what a method does in each revision is a row of the method table
 * (`src/protocol/methods.ts`), and what a revision has is a row of `FEATURES`
 * (`src/protocol/revisions.ts`). Outside `src/protocol/`, code may read those tables, but
 * (1) no `switch` may branch on MCP method names (`case 'tools/list':`): a method's behaviour is a
 * row, not a case; and (2) every comparison of a revision (against a revision literal or
 * `MODERN_REVISION`, `isLegacyRevision()`, an `isModern…` test) carries a one-line `// revision:`
 * comment, on its line or the line before, saying why the table cannot answer it there.
 * `node scripts/check-revisions.ts [srcDir]` prints each violation and exits 1; `npm run typecheck`
 * runs it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

/** A line that branches on MCP method names. */
const METHOD_CASE = /\bcase\s+'(?:[a-z]+\/[A-Za-z/_]+|initialize|ping)'\s*:/;
/** A line that compares revisions. */
const REVISION_TEST =
  /\bisModern\w*\(|\bisLegacyRevision\(|[!=]==\s*MODERN_REVISION\b|\bMODERN_REVISION\s*[!=]==|[!=]==\s*'20\d\d-\d\d-\d\d'|'20\d\d-\d\d-\d\d'\s*[!=]==/;
const JUSTIFIED = /\/\/ revision: \S/;

/** Every .ts source file under `dir`, tests and `protocol/` left out. */
function sources(dir: string, root: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (relative(root, path) !== 'protocol') out.push(...sources(path, root));
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
      out.push(path);
    }
  }
  return out;
}

/** The violations in the tree at `srcDir`, one line each (`file:line: what`). */
export function checkRevisions(srcDir: string): string[] {
  const root = resolve(srcDir);
  const found: string[] = [];
  for (const file of sources(root, root)) {
    const lines = readFileSync(file, 'utf8').split('\n');
    const name = relative(root, file).split(sep).join('/');
    lines.forEach((line, i) => {
      const code = line.replace(/\/\/.*$/, '');
      if (METHOD_CASE.test(code)) {
        found.push(`${name}:${i + 1}: a switch over method names; make it a table keyed by method`);
      }
      if (REVISION_TEST.test(code) && !JUSTIFIED.test(line) && !JUSTIFIED.test(lines[i - 1] ?? '')) {
        found.push(
          `${name}:${i + 1}: a revision test without a '// revision: <why>' comment; read the method table or FEATURES, or say why not`,
        );
      }
    });
  }
  return found;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const srcDir = process.argv[2] ?? join(import.meta.dirname, '..', 'src');
  const found = checkRevisions(srcDir);
  for (const line of found) console.error(line);
  if (found.length > 0) {
    console.error(`${found.length} revision check violation(s); see scripts/check-revisions.ts.`);
    process.exit(1);
  }
}
