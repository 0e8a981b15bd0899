/**
 * Summarizes V8 CPU profiles (`node --cpu-prof`, or `npm run bench -- --profile DIR`): where the time
 * went by function (self and inclusive) and by file, as shares of all samples.
 *
 *   node bench/profile-summary.ts <file.cpuprofile | dir> [--top 25] [--filter /src/]
 *
 * Idle samples are left out, so shares are of the time the process was busy. Several files are summed (e.g. every mcpkit server of one run). `--filter` limits the inclusive
 * table to functions whose file path contains the text.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '25' }, filter: { type: 'string' } },
});
if (positionals.length === 0) {
  console.error('usage: node bench/profile-summary.ts <file.cpuprofile | dir>... [--top N] [--filter TEXT]');
  process.exit(2);
}

const files = positionals.flatMap((p) =>
  statSync(p).isDirectory()
    ? readdirSync(p)
        .filter((f) => f.endsWith('.cpuprofile'))
        .map((f) => join(p, f))
    : [p],
);

const root = process.cwd();
const self = new Map<string, number>();
const inclusive = new Map<string, number>();
const byFile = new Map<string, number>();
let total = 0;

function where(node: ProfileNode): { key: string; file: string } {
  const { functionName, url, lineNumber } = node.callFrame;
  let file = url;
  if (url.startsWith('file://')) file = relative(root, new URL(url).pathname);
  if (file === '') file = '(native)';
  const name = functionName || '(anonymous)';
  return { key: `${name}  ${file}:${lineNumber + 1}`, file };
}

const add = (map: Map<string, number>, key: string, t: number) => map.set(key, (map.get(key) ?? 0) + t);

for (const path of files) {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as Profile;
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  profile.samples.forEach((id, i) => {
    const t = profile.timeDeltas[i] ?? 0;
    const node = byId.get(id);
    if (!node) return;
    const here = where(node);
    if (node.callFrame.functionName === '(idle)') return; // shares are of busy time
    total += t;
    add(self, here.key, t);
    add(byFile, here.file, t);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const n = byId.get(at);
      if (!n) break;
      const k = where(n).key;
      if (seen.has(k)) continue;
      seen.add(k);
      add(inclusive, k, t);
    }
  });
}

const top = Number(values.top);
const pct = (t: number) => `${((100 * t) / total).toFixed(1).padStart(5)}%`;

function print(title: string, map: Map<string, number>, keep: (key: string) => boolean = () => true): void {
  console.log(`\n${title}`);
  const rows = [...map].filter(([k]) => keep(k)).sort((a, b) => b[1] - a[1]);
  for (const [key, t] of rows.slice(0, top)) console.log(`${pct(t)}  ${key}`);
}

console.log(
  `${files.length} profile(s), ${(total / 1e6).toFixed(2)} s busy (idle samples left out; shares are of busy time)`,
);
print('Self time by function', self);
print('Self time by file', byFile);
const filter = values.filter;
print(
  `Inclusive time by function${filter ? ` (files containing '${filter}')` : ''}`,
  inclusive,
  (k) => !filter || k.includes(filter),
);
