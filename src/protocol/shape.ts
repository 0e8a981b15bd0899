/**
 * Shapes outgoing messages for the peer's revision: fields and content blocks a revision lacks are
 * dropped (or turned into something it has), so that a 2024-11-05 peer never receives `title`,
 * `outputSchema`, `icons` and the like. The rules are one table of kinds of object: which fields each
 * kind gained later, and which fields hold objects of another kind. A message whose kinds need nothing
 * dropped in a revision passes through untouched, without copying.
 */
import type { Params } from './jsonrpc.ts';
import { atLeast, FEATURES, REVISIONS, type Revision, type RevisionFeatures } from './revisions.ts';
import { shapedStable } from './stable.ts';

type Obj = Record<string, unknown>;

/** The feature table, plus rows that only shaping asks about. */
interface Gates extends RevisionFeatures {
  /** Task-augmented execution: tool `execution`, `task` in params, the `tasks` capability (2025-11-25 only). */
  readonly tasks: boolean;
  /** Elicitation `mode`, `$schema`, `default`s, titled and multi-select enums (2025-11-25 on). */
  readonly elicitationForms: boolean;
  /** The `extensions` capability (2026-07-28 on). */
  readonly extensions: boolean;
}

type Gate = keyof Gates;

const GATES = Object.fromEntries(
  REVISIONS.map((r) => [
    r,
    {
      ...FEATURES[r],
      tasks: r === '2025-11-25',
      elicitationForms: atLeast(r, '2025-11-25'),
      extensions: atLeast(r, '2026-07-28'),
    },
  ]),
) as Record<Revision, Gates>;

/** One kind of object on the wire. */
interface Kind {
  /** Fields that arrived later, each with the feature that brought it; dropped where that is off. */
  readonly since?: Readonly<Record<string, Gate>>;
  /** Fields holding another kind: one object or an array of them. */
  readonly nested?: Readonly<Record<string, string>>;
  /** For kinds shaped by code (see SPECIAL): the gates it reads and the kinds it hands on to. */
  readonly uses?: readonly Gate[];
  readonly reaches?: readonly string[];
}

const META = { _meta: 'metaEverywhere' } as const;
const LISTED = { title: 'titles', icons: 'icons', ...META } as const;

/** Content block types that arrived later; such a block cannot go to a revision without the gate. */
const BLOCK_SINCE: Readonly<Record<string, Gate>> = {
  audio: 'audio',
  resource_link: 'resourceLinks',
  tool_use: 'samplingTools',
  tool_result: 'samplingTools',
};

/** The kind of each content block type (text, image, audio and the sampling blocks are `block`). */
const BLOCK_KIND: Readonly<Record<string, string>> = { resource: 'embedded', resource_link: 'resource' };

const BLOCKS: Kind = { uses: Object.values(BLOCK_SINCE), reaches: ['block', 'embedded', 'resource'] };

const KINDS: Readonly<Record<string, Kind>> = {
  implementation: {
    since: {
      title: 'titles',
      description: 'implementationDetails',
      icons: 'icons',
      websiteUrl: 'implementationDetails',
    },
  },
  serverCapabilities: {
    since: { completions: 'completionsCapability', tasks: 'tasks', extensions: 'extensions' },
  },
  tool: {
    since: {
      ...LISTED,
      outputSchema: 'structuredOutput',
      annotations: 'toolAnnotations',
      execution: 'tasks',
    },
  },
  resource: { since: LISTED, nested: { annotations: 'annotations' } },
  annotations: { since: { lastModified: 'lastModified' } },
  prompt: { since: LISTED, nested: { arguments: 'argument' } },
  argument: { since: { title: 'titles' } },
  reference: { since: { title: 'titles' } },
  contents: { since: META },
  root: { since: META },
  block: { since: META, nested: { annotations: 'annotations' } },
  embedded: { since: META, nested: { annotations: 'annotations', resource: 'contents' } },
  promptMessage: { nested: { content: 'oneBlock' } },
  // Kinds shaped by code (SPECIAL).
  blocks: BLOCKS,
  oneBlock: BLOCKS,
  samplingMessages: { uses: ['samplingTools'], reaches: ['blocks'] },
  samplingContent: { uses: ['samplingTools'], reaches: ['blocks'] },
  form: { uses: ['elicitationForms'] },
};

/** Results, by the method they answer. */
const RESULTS: Readonly<Record<string, Kind>> = {
  initialize: { nested: { serverInfo: 'implementation', capabilities: 'serverCapabilities' } },
  'tools/list': { nested: { tools: 'tool' } },
  'tools/call': { since: { structuredContent: 'structuredOutput' }, nested: { content: 'blocks' } },
  'resources/list': { nested: { resources: 'resource' } },
  'resources/templates/list': { nested: { resourceTemplates: 'resource' } },
  'resources/read': { nested: { contents: 'contents' } },
  'prompts/list': { nested: { prompts: 'prompt' } },
  'prompts/get': { nested: { messages: 'promptMessage' } },
  'roots/list': { nested: { roots: 'root' } },
  'sampling/createMessage': { nested: { content: 'samplingContent' } },
};

/** Params of requests and notifications, by method. */
const PARAMS: Readonly<Record<string, Kind>> = {
  'notifications/progress': { since: { message: 'progressMessage' } },
  'tools/call': { since: { task: 'tasks' } },
  'completion/complete': { since: { context: 'completionContext' }, nested: { ref: 'reference' } },
  'sampling/createMessage': {
    since: { tools: 'samplingTools', toolChoice: 'samplingTools', task: 'tasks' },
    nested: { messages: 'samplingMessages' },
  },
  'elicitation/create': {
    since: { mode: 'elicitationForms', elicitationId: 'elicitationUrl', task: 'tasks' },
    nested: { requestedSchema: 'form' },
  },
};

function gatesOf(k: Kind, seen: Set<Kind> = new Set()): Gate[] {
  if (seen.has(k)) return [];
  seen.add(k);
  const own = [...Object.values(k.since ?? {}), ...(k.uses ?? [])];
  const next = [...Object.values(k.nested ?? {}), ...(k.reaches ?? [])];
  return [...own, ...next.flatMap((n) => gatesOf(KINDS[n], seen))];
}

/** For each message kind, the revisions where it needs no shaping (every gate it reaches is on). */
const UNTOUCHED = new Map(
  [...Object.values(RESULTS), ...Object.values(PARAMS)].map((k) => {
    const gates = gatesOf(k);
    return [k, new Set(REVISIONS.filter((r) => gates.every((g) => GATES[r][g])))] as const;
  }),
);

const emptyText = (): Obj => ({ type: 'text', text: '' });

function shapeObject(obj: Obj, k: Kind, g: Gates): Obj {
  let out: Obj | undefined;
  for (const field in k.since) {
    if (!g[k.since[field]] && field in obj) {
      out ??= { ...obj };
      delete out[field];
    }
  }
  for (const field in k.nested) {
    const value = obj[field];
    if (value === undefined || (out !== undefined && !(field in out))) continue;
    const shaped = shapeValue(value, k.nested[field], g);
    if (shaped !== value) {
      out ??= { ...obj };
      out[field] = shaped;
    }
  }
  return out ?? obj;
}

function shapeList(list: unknown[], fn: (o: Obj) => Obj | undefined): unknown[] {
  let changed = false;
  const out: unknown[] = [];
  for (const o of list) {
    const s = typeof o === 'object' && o !== null ? fn(o as Obj) : o;
    if (s !== o) changed = true;
    if (s !== undefined) out.push(s);
  }
  return changed ? out : list;
}

function shapeBlock(block: Obj, g: Gates): Obj | undefined {
  if (typeof block !== 'object' || block === null) return block;
  const type = String(block.type);
  const gate = BLOCK_SINCE[type];
  if (gate !== undefined && !g[gate]) {
    if (type !== 'resource_link') return undefined;
    const name = typeof block.name === 'string' ? block.name : String(block.uri);
    return { type: 'text', text: `${name}: ${String(block.uri)}` };
  }
  return shapeObject(block, KINDS[BLOCK_KIND[type] ?? 'block'], g);
}

/** Elicitation form fields as 2025-06-18 has them: enums as `enum`/`enumNames`, no multi-select. */
function legacyForm(schema: Obj): Obj {
  const { $schema: _s, properties, required, ...rest } = schema;
  const fields: Obj = {};
  for (const [name, field] of Object.entries((properties ?? {}) as Record<string, Obj>)) {
    if (field.type === 'array') continue;
    const { default: value, oneOf, ...f } = field;
    if (Array.isArray(oneOf)) {
      f.enum = oneOf.map((o: Obj) => o.const);
      f.enumNames = oneOf.map((o: Obj) => o.title);
    }
    if (field.type === 'boolean' && value !== undefined) f.default = value;
    fields[name] = f;
  }
  const out: Obj = { ...rest, properties: fields };
  if (Array.isArray(required)) out.required = required.filter((n) => n in fields);
  return out;
}

/** Kinds that a field table cannot describe. */
const SPECIAL: Readonly<Record<string, (value: unknown, g: Gates) => unknown>> = {
  blocks: (v, g) => (Array.isArray(v) ? shapeList(v, (b) => shapeBlock(b, g)) : v),
  oneBlock: (v, g) => shapeBlock(v as Obj, g) ?? emptyText(),
  // Before sampling with tools, a message holds one block and no `_meta`: split arrays into messages.
  samplingMessages: (v, g) => {
    if (g.samplingTools || !Array.isArray(v)) return v;
    const out: Obj[] = [];
    for (const { content, _meta: _m, ...message } of v as Obj[]) {
      for (const b of Array.isArray(content) ? content : [content]) {
        const s = shapeBlock(b as Obj, g);
        if (s !== undefined) out.push({ ...message, content: s });
      }
    }
    return out;
  },
  samplingContent: (v, g) => {
    if (!Array.isArray(v)) return shapeBlock(v as Obj, g) ?? emptyText();
    if (g.samplingTools) return shapeList(v, (b) => shapeBlock(b, g));
    return (shapeList(v, (b) => shapeBlock(b, g))[0] as Obj | undefined) ?? emptyText();
  },
  form: (v, g) => (g.elicitationForms || typeof v !== 'object' || v === null ? v : legacyForm(v as Obj)),
};

function shapeValue(value: unknown, kind: string, g: Gates): unknown {
  const special = SPECIAL[kind];
  if (special !== undefined) return special(value, g);
  if (Array.isArray(value)) return shapeList(value, (o) => shapeObject(o, KINDS[kind], g));
  if (typeof value === 'object' && value !== null) return shapeObject(value as Obj, KINDS[kind], g);
  return value;
}

/** Shapes one content block for a revision; undefined for a block the revision cannot carry. */
export function shapeContent(block: Record<string, unknown>, revision: Revision): Obj | undefined {
  return shapeBlock(block, GATES[revision]);
}

/** Shapes a result for the peer's revision (results of requests in either direction). */
export function shapeResult(method: string, result: Obj, revision: Revision): Obj {
  const kind = RESULTS[method];
  if (kind === undefined || UNTOUCHED.get(kind)?.has(revision)) return result;
  return shapedStable(result, revision, () => shapeObject(result, kind, GATES[revision]));
}

/** Shapes the params of an outgoing request or notification for the peer's revision. */
export function shapeParams(
  method: string,
  params: Params | undefined,
  revision: Revision,
): Params | undefined {
  const kind = PARAMS[method];
  if (params === undefined || kind === undefined || UNTOUCHED.get(kind)?.has(revision)) return params;
  return shapeObject(params, kind, GATES[revision]) as Params;
}
