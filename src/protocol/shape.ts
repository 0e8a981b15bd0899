/**
 * Shapes outgoing messages for the peer's revision: fields and content blocks a revision lacks are
 * dropped, so that a 2024-11-05 peer never receives `title`, `outputSchema`, `icons` and the like.
 * Messages for the newest revisions pass through untouched, without copying.
 */
import type { Params } from './jsonrpc.ts';
import { FEATURES, type Revision, type RevisionFeatures } from './revisions.ts';

type Obj = Record<string, unknown>;

/** Fields that appear only from some feature on, per kind of object. */
const LATER_FIELDS: Record<string, Array<[string, keyof RevisionFeatures]>> = {
  implementation: [
    ['title', 'titles'],
    ['description', 'implementationDetails'],
    ['icons', 'icons'],
    ['websiteUrl', 'implementationDetails'],
  ],
  tool: [
    ['title', 'titles'],
    ['outputSchema', 'structuredOutput'],
    ['annotations', 'toolAnnotations'],
    ['icons', 'icons'],
    ['execution', 'icons'],
    ['_meta', 'metaEverywhere'],
  ],
  resource: [
    ['title', 'titles'],
    ['icons', 'icons'],
    ['_meta', 'metaEverywhere'],
  ],
  prompt: [
    ['title', 'titles'],
    ['icons', 'icons'],
    ['_meta', 'metaEverywhere'],
  ],
  argument: [['title', 'titles']],
  content: [['_meta', 'metaEverywhere']],
  contents: [['_meta', 'metaEverywhere']],
};

function strip(obj: Obj, kind: string, f: RevisionFeatures): Obj {
  let out: Obj | undefined;
  for (const [field, feature] of LATER_FIELDS[kind]) {
    if (!f[feature] && field in obj) {
      out ??= { ...obj };
      delete out[field];
    }
  }
  if ((kind === 'content' || kind === 'resource') && obj.annotations && !f.lastModified) {
    const a = obj.annotations as Obj;
    if ('lastModified' in a) {
      out ??= { ...obj };
      const { lastModified: _drop, ...rest } = a;
      out.annotations = rest;
    }
  }
  return out ?? obj;
}

/** Shapes one content block; returns undefined for a block the revision cannot carry. */
export function shapeContent(block: Obj, f: RevisionFeatures): Obj | undefined {
  const type = block.type;
  if (type === 'audio' && !f.audio) return undefined;
  if (type === 'resource_link' && !f.resourceLinks) {
    const name = typeof block.name === 'string' ? block.name : String(block.uri);
    return { type: 'text', text: `${name}: ${String(block.uri)}` };
  }
  let out = strip(block, 'content', f);
  if (type === 'resource_link') out = strip(out, 'resource', f);
  if (type === 'resource' && out.resource && typeof out.resource === 'object') {
    const inner = strip(out.resource as Obj, 'contents', f);
    if (inner !== out.resource) out = { ...out, resource: inner };
  }
  return out;
}

function shapeContentList(list: unknown, f: RevisionFeatures): unknown {
  if (!Array.isArray(list)) return list;
  const out: Obj[] = [];
  let changed = false;
  for (const b of list as Obj[]) {
    const s = shapeContent(b, f);
    if (s !== b) changed = true;
    if (s !== undefined) out.push(s);
  }
  return changed ? out : list;
}

function mapList(list: unknown, fn: (o: Obj) => Obj): unknown {
  if (!Array.isArray(list)) return list;
  let changed = false;
  const out = (list as Obj[]).map((o) => {
    const s = fn(o);
    if (s !== o) changed = true;
    return s;
  });
  return changed ? out : list;
}

function withField(obj: Obj, key: string, value: unknown): Obj {
  return value === obj[key] ? obj : { ...obj, [key]: value };
}

/** Whether a revision needs any shaping at all. */
function needsShaping(f: RevisionFeatures): boolean {
  return !(f.icons && f.samplingTools);
}

/** Shapes the result of a client→server request for the peer's revision. */
export function shapeResult(method: string, result: Obj, revision: Revision): Obj {
  const f = FEATURES[revision];
  if (!needsShaping(f)) return result;
  switch (method) {
    case 'initialize':
      return withField(result, 'serverInfo', strip(result.serverInfo as Obj, 'implementation', f));
    case 'tools/list':
      return withField(
        result,
        'tools',
        mapList(result.tools, (t) => strip(t, 'tool', f)),
      );
    case 'tools/call': {
      let out = withField(result, 'content', shapeContentList(result.content, f));
      if (!f.structuredOutput && 'structuredContent' in out) {
        const { structuredContent: _drop, ...rest } = out;
        out = rest;
      }
      return out;
    }
    case 'resources/list':
      return withField(
        result,
        'resources',
        mapList(result.resources, (r) => strip(r, 'resource', f)),
      );
    case 'resources/templates/list':
      return withField(
        result,
        'resourceTemplates',
        mapList(result.resourceTemplates, (r) => strip(r, 'resource', f)),
      );
    case 'resources/read':
      return withField(
        result,
        'contents',
        mapList(result.contents, (c) => strip(c, 'contents', f)),
      );
    case 'prompts/list':
      return withField(
        result,
        'prompts',
        mapList(result.prompts, (p) => {
          const s = strip(p, 'prompt', f);
          return withField(
            s,
            'arguments',
            mapList(s.arguments, (a) => strip(a, 'argument', f)),
          );
        }),
      );
    case 'prompts/get':
      return withField(
        result,
        'messages',
        mapList(result.messages, (m) => {
          const c = shapeContent(m.content as Obj, f);
          return c === undefined ? { ...m, content: { type: 'text', text: '' } } : withField(m, 'content', c);
        }),
      );
    default:
      return result;
  }
}

/** Shapes the params of an outgoing request or notification for the peer's revision. */
export function shapeParams(
  method: string,
  params: Params | undefined,
  revision: Revision,
): Params | undefined {
  const f = FEATURES[revision];
  if (params === undefined || !needsShaping(f)) return params;
  switch (method) {
    case 'notifications/progress':
      if (!f.progressMessage && 'message' in params) {
        const { message: _drop, ...rest } = params;
        return rest;
      }
      return params;
    case 'sampling/createMessage': {
      if (f.samplingTools) return params;
      const { tools: _t, toolChoice: _c, ...rest } = params;
      return withField(
        rest,
        'messages',
        mapList(rest.messages, (m) => withField(m, 'content', shapeContent(m.content as Obj, f))),
      ) as Params;
    }
    case 'elicitation/create':
      if (!f.elicitationUrl && 'mode' in params) {
        const { mode: _drop, ...rest } = params;
        return rest;
      }
      return params;
    default:
      return params;
  }
}
