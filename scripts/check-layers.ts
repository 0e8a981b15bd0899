/**
 * The layer check: every folder of `src/` has a place in one order, and an import from one folder
 * into another must (1) name one of that folder's entry files (its `index.ts`, or an entry this
 * table lists), (2) point down the order, and (3) close no circle, between folders or between
 * files. `node scripts/check-layers.ts [srcDir]` prints each violation and exits 1; `npm run
 * typecheck` runs it. The table below is the one place the order is written.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/** One folder of `src/`, lowest first in `LAYERS`. */
export interface Layer {
  readonly folder: string;
  /** The files other folders may import (default: `index.ts` only). */
  readonly entries?: readonly string[];
}

/** The layer order, lowest first: a folder may import only folders before it. */
export const LAYERS: readonly Layer[] = [
  { folder: 'unsupported' }, // the refusals `mcpkit/node` and `mcpkit/redis` resolve to off Node; import nothing
  { folder: 'protocol' }, // MCP's messages, revisions, errors: types and pure checks
  { folder: 'rpc' }, // the JSON-RPC peer, the Transport interface, middleware
  { folder: 'schema' }, // JSON Schema and Standard Schema validation
  { folder: 'store' }, // session, event and bus stores (interfaces, in-memory), random ids
  { folder: 'client' }, // McpClient
  { folder: 'server' }, // McpServer, sessions, registries, request context
  // client transports: memory, stdio (bring-your-own streams), Streamable HTTP, SSE; stdio.ts alone
  // (the framing) for node/'s stdio transports, without the HTTP clients
  { folder: 'transport', entries: ['index.ts', 'stdio.ts'] },
  // the web-standard HTTP handler (Streamable HTTP, HTTP+SSE), cluster routing; beside.ts and sse.ts
  // alone (what a server adapter hands over and reads back) for node/http.ts, without the handler
  { folder: 'http', entries: ['index.ts', 'adapter.ts'] },
  { folder: 'compose' }, // mounts, proxies, tool transforms
  { folder: 'otel' }, // OpenTelemetry middleware
  { folder: 'auth', entries: ['index.ts', 'node.ts'] }, // OAuth resource server, client, dev server
  { folder: 'extensions' }, // Tasks, Skills
  { folder: 'reference' }, // the reference server used by tests, conformance and `mcpkit serve`
  { folder: 'redis' }, // the stores on Redis (Node only)
  { folder: 'node', entries: ['index.ts', 'auth-server.ts'] }, // Node adapters and main scripts
  { folder: 'cli' }, // the `mcpkit` command
];

/**
 * Imports allowed to point up the order, each with its reason: lazy `import()`s only, so that no
 * module is evaluated before what it needs.
 */
export const UPWARD_EXCEPTIONS: readonly { from: string; to: string; why: string }[] = [
  {
    from: 'server/server.ts',
    to: 'compose/index.ts',
    why: 'McpServer.mount loads mcpkit/compose on first use',
  },
];

/** One import found in a file. */
interface Edge {
  readonly from: string; // path relative to the src dir, with '/'
  readonly to: string;
  readonly line: number;
  readonly kind: 'value' | 'type' | 'lazy';
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

function importsOf(srcDir: string, file: string): Edge[] {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const from = relative(srcDir, file).split(sep).join('/');
  const edges: Edge[] = [];
  const add = (spec: ts.Node, kind: Edge['kind']): void => {
    if (!ts.isStringLiteral(spec) || !spec.text.startsWith('.')) return;
    const to = relative(srcDir, resolve(dirname(file), spec.text))
      .split(sep)
      .join('/');
    const line = source.getLineAndCharacterOfPosition(spec.getStart()).line + 1;
    edges.push({ from, to, line, kind });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            clause.namedBindings !== undefined &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      add(node.moduleSpecifier, typeOnly ? 'type' : 'value');
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier) {
      add(node.moduleSpecifier, node.isTypeOnly ? 'type' : 'value');
    } else if (ts.isModuleDeclaration(node) && ts.isStringLiteral(node.name)) {
      add(node.name, 'type'); // `declare module '...'`: an augmentation of another module
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node.argument.literal, 'type');
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] !== undefined
    ) {
      add(node.arguments[0], 'lazy');
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

const folderOf = (path: string): string | undefined => (path.includes('/') ? path.split('/')[0] : undefined);

/** The circles of a graph (its strongly connected components of more than one node, or a self-loop). */
function circles(graph: Map<string, Set<string>>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const strongConnect = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        strongConnect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || graph.get(v)?.has(v)) found.push(component.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) strongConnect(v);
  return found;
}

/** Checks the tree under `srcDir` against `layers`; returns one message per violation. */
export function checkLayers(
  srcDir: string,
  layers: readonly Layer[] = LAYERS,
  exceptions: typeof UPWARD_EXCEPTIONS = UPWARD_EXCEPTIONS,
): string[] {
  const rank = new Map(layers.map((layer, i) => [layer.folder, i]));
  const entries = new Map(layers.map((layer) => [layer.folder, layer.entries ?? ['index.ts']]));
  const order = layers.map((layer) => layer.folder).join(' < ');
  const problems: string[] = [];
  const folders = new Map<string, Set<string>>();
  const files = new Map<string, Set<string>>();
  const seenFolders = new Set<string>();

  for (const file of filesUnder(srcDir)) {
    for (const edge of importsOf(srcDir, file)) {
      const at = `src/${edge.from}:${edge.line}`;
      const source = folderOf(edge.from);
      const target = folderOf(edge.to);
      if (source !== undefined) seenFolders.add(source);
      const excused =
        edge.kind === 'lazy' && exceptions.some((e) => e.from === edge.from && e.to === edge.to);
      if (!excused) {
        if (!files.has(edge.from)) files.set(edge.from, new Set());
        files.get(edge.from)!.add(edge.to);
      }
      if (source === undefined || target === undefined || source === target) continue;
      if (edge.to.startsWith('..')) continue; // outside src (package.json and the like)
      seenFolders.add(target);
      const allowed = entries.get(target) ?? ['index.ts'];
      if (!allowed.some((entry) => edge.to === `${target}/${entry}`)) {
        problems.push(
          `${at} imports src/${edge.to}, past the entry of ${target}/: import from ` +
            allowed.map((entry) => `src/${target}/${entry}`).join(' or ') +
            ' (export what is needed there).',
        );
      }
      const up = (rank.get(target) ?? -1) > (rank.get(source) ?? -1);
      if (up && !excused && rank.has(source) && rank.has(target)) {
        problems.push(
          `${at} imports ${target}/, which is above ${source}/ in the layer order (${order}): ` +
            'move what both need down, or the importing code up.',
        );
      }
      if (!excused) {
        if (!folders.has(source)) folders.set(source, new Set());
        folders.get(source)!.add(target);
      }
    }
  }
  for (const folder of [...seenFolders].sort()) {
    if (!rank.has(folder)) {
      problems.push(
        `src/${folder}/ has no place in the layer order: add it to LAYERS in scripts/check-layers.ts.`,
      );
    }
  }
  for (const circle of circles(folders)) {
    problems.push(`An import circle between folders: ${circle.join(', ')}.`);
  }
  for (const circle of circles(files)) {
    problems.push(`An import circle between files: ${circle.map((f) => `src/${f}`).join(', ')}.`);
  }
  return problems;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const srcDir = resolve(process.argv[2] ?? join(import.meta.dirname, '..', 'src'));
  const problems = checkLayers(srcDir);
  for (const problem of problems) console.error(problem);
  if (problems.length > 0) {
    console.error(`${problems.length} layer violation(s); the order is in scripts/check-layers.ts.`);
    process.exit(1);
  }
}
