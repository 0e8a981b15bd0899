/**
 * Finding references that loop without ever descending into the value (`{"$dynamicAnchor": "a",
 * "$dynamicRef": "#a"}`, `{"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}}`): a validator
 * for such a schema recurses until the stack overflows. Iterative, so deep schemas cannot overflow it either.
 */
import { type JsonSchema, SchemaError } from './types.ts';

type Node = Record<string, unknown>;

/** Keywords whose schemas apply to the same value as the schema holding them. */
const IN_PLACE_ONE = ['not', 'if', 'then', 'else'];
const IN_PLACE_MANY = ['allOf', 'anyOf', 'oneOf'];
const IN_PLACE_MAP = ['dependentSchemas'];
/** Keywords whose schemas apply to parts of the value (or to nothing: `$defs`). */
const NESTED_ONE = [
  'items',
  'additionalItems',
  'unevaluatedItems',
  'contains',
  'additionalProperties',
  'unevaluatedProperties',
  'propertyNames',
  'contentSchema',
];
const NESTED_MANY = ['prefixItems', 'items'];
const NESTED_MAP = ['properties', 'patternProperties', '$defs', 'definitions', 'dependencies'];

const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every schema object inside `root` with its JSON pointer; anchors and `$id`s along the way. */
function index(root: Node): {
  pointers: Map<Node, string>;
  anchors: Map<string, Node[]>;
  ids: Map<string, Node>;
} {
  const pointers = new Map<Node, string>();
  const anchors = new Map<string, Node[]>();
  const ids = new Map<string, Node>();
  const stack: Array<[Node, string]> = [[root, '']];
  while (stack.length > 0) {
    const [node, pointer] = stack.pop() as [Node, string];
    if (pointers.has(node)) continue;
    pointers.set(node, pointer);
    for (const key of ['$anchor', '$dynamicAnchor']) {
      const name = node[key];
      if (typeof name === 'string') anchors.set(name, [...(anchors.get(name) ?? []), node]);
    }
    if (typeof node.$id === 'string') ids.set(node.$id.replace(/#$/, ''), node);
    const at = (key: string | number): string =>
      `${pointer}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;
    for (const [key, value] of Object.entries(node)) {
      if (isNode(value) && (NESTED_ONE.includes(key) || IN_PLACE_ONE.includes(key)))
        stack.push([value, at(key)]);
      else if (Array.isArray(value) && (NESTED_MANY.includes(key) || IN_PLACE_MANY.includes(key))) {
        value.forEach((v, i) => {
          if (isNode(v)) stack.push([v, `${at(key)}/${i}`]);
        });
      } else if (isNode(value) && (NESTED_MAP.includes(key) || IN_PLACE_MAP.includes(key))) {
        for (const [k, v] of Object.entries(value)) if (isNode(v)) stack.push([v, `${at(key)}/${k}`]);
      }
    }
  }
  return { pointers, anchors, ids };
}

/** Follows a JSON pointer from `base`; undefined where it leads nowhere. */
function follow(base: unknown, pointer: string): unknown {
  let value = base;
  for (const raw of pointer.split('/').slice(1)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(value)) value = value[Number(key)];
    else if (isNode(value) && Object.hasOwn(value, key)) value = value[key];
    else return undefined;
  }
  return value;
}

/**
 * A chain of JSON pointers that leads from a schema back to itself through references and in-place
 * applicators only, or undefined when there is none. References that cannot be resolved locally are skipped.
 */
export function findRefCycle(schema: JsonSchema): string[] | undefined {
  const { pointers, anchors, ids } = index(schema);
  const targets = (node: Node): Node[] => {
    const out: Node[] = [];
    for (const key of IN_PLACE_ONE) if (isNode(node[key])) out.push(node[key] as Node);
    for (const key of IN_PLACE_MANY) {
      const list = node[key];
      if (Array.isArray(list)) for (const v of list) if (isNode(v)) out.push(v);
    }
    for (const key of IN_PLACE_MAP) {
      const map = node[key];
      if (isNode(map)) for (const v of Object.values(map)) if (isNode(v)) out.push(v);
    }
    for (const key of ['$ref', '$dynamicRef', '$recursiveRef']) {
      const ref = node[key];
      if (typeof ref !== 'string') continue;
      const hash = ref.indexOf('#');
      const base = hash < 0 ? ref : ref.slice(0, hash);
      const fragment = hash < 0 ? '' : ref.slice(hash + 1);
      const from = base === '' ? schema : ids.get(base);
      if (from === undefined) continue;
      if (fragment === '' || fragment.startsWith('/')) {
        const target = follow(from, fragment);
        if (isNode(target)) out.push(target);
      } else {
        const named = anchors.get(fragment) ?? [];
        // A dynamic reference to an anchor that no schema declares starts again at the root.
        out.push(...(named.length === 0 && key === '$dynamicRef' ? [schema] : named));
      }
    }
    return out;
  };
  // Iterative depth-first search with colours: 1 on the current path, 2 done.
  const colour = new Map<Node, number>();
  for (const start of pointers.keys()) {
    if (colour.has(start)) continue;
    const path: Node[] = [start];
    const pending: Node[][] = [targets(start)];
    colour.set(start, 1);
    while (path.length > 0) {
      const next = pending[pending.length - 1].pop();
      if (next === undefined) {
        colour.set(path.pop() as Node, 2);
        pending.pop();
        continue;
      }
      const c = colour.get(next);
      if (c === 1) {
        const loop = path.slice(path.indexOf(next));
        return [...loop, next].map((n) => `#${pointers.get(n) ?? ''}`);
      }
      if (c === 2) continue;
      colour.set(next, 1);
      path.push(next);
      pending.push(targets(next));
    }
  }
  return undefined;
}

/** The error for a schema whose references loop (`loop`, from findRefCycle). */
export function refCycleError(label: string, loop: readonly string[]): SchemaError {
  return new SchemaError(
    `${label} refers to itself without descending into the value (${loop.join(' → ')}), so validating ` +
      'anything with it would never end. Put the reference under properties, items or the like, or remove it.',
  );
}
