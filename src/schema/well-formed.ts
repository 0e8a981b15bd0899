/**
 * Checking that a JSON Schema is well formed (each keyword's value has the shape its dialect gives it),
 * for validators that do not check schemas against the meta-schema themselves. Iterative, so a deeply
 * nested schema cannot overflow the stack.
 */
import type { Dialect } from './dialects.ts';

type Node = Record<string, unknown>;

const TYPES = new Set(['array', 'boolean', 'integer', 'null', 'number', 'object', 'string']);
const ONE_SCHEMA = [
  'not',
  'if',
  'then',
  'else',
  'additionalProperties',
  'unevaluatedProperties',
  'unevaluatedItems',
  'additionalItems',
  'contains',
  'propertyNames',
  'contentSchema',
];
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];
const COUNTS = [
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
  'minContains',
  'maxContains',
];
const NUMBERS = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'];
const STRINGS = [
  '$id',
  '$ref',
  '$dynamicRef',
  '$recursiveRef',
  '$dynamicAnchor',
  '$comment',
  'format',
  'title',
  'description',
];
const ANCHOR = /^[A-Za-z_][-A-Za-z0-9._]*$/;

const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);
const isSchema = (v: unknown): boolean => isNode(v) || typeof v === 'boolean';
const isCount = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 0;
const isStringList = (v: unknown): boolean =>
  Array.isArray(v) && v.every((s) => typeof s === 'string') && new Set(v).size === v.length;

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}

/** The problem with one keyword's value, or undefined when it has the right shape. */
function keywordProblem(key: string, value: unknown, dialect: Dialect): string | undefined {
  if (key === 'type') {
    const ok =
      (typeof value === 'string' && TYPES.has(value)) ||
      (Array.isArray(value) &&
        value.every((t) => typeof t === 'string' && TYPES.has(t)) &&
        isStringList(value));
    return ok ? undefined : `must be one of ${[...TYPES].join(', ')}, or a list of them`;
  }
  if (ONE_SCHEMA.includes(key))
    return isSchema(value) ? undefined : 'must be a schema (an object or a boolean)';
  if (key === 'items') {
    if (isSchema(value)) return undefined;
    if (dialect.name !== '2020-12' && Array.isArray(value) && value.every(isSchema)) return undefined;
    return dialect.name === '2020-12'
      ? 'must be a schema (a list of schemas is prefixItems in 2020-12)'
      : 'must be a schema or a list of schemas';
  }
  if (SCHEMA_LISTS.includes(key)) {
    const ok = Array.isArray(value) && value.length > 0 && value.every(isSchema);
    return ok ? undefined : 'must be a non-empty list of schemas';
  }
  if (SCHEMA_MAPS.includes(key)) {
    if (!isNode(value) || !Object.values(value).every(isSchema)) return 'must be an object of schemas';
    if (key === 'patternProperties' && !Object.keys(value).every(compiles)) {
      return 'must have regular expressions as its keys';
    }
    return undefined;
  }
  if (key === 'dependencies') {
    const ok = isNode(value) && Object.values(value).every((v) => isSchema(v) || isStringList(v));
    return ok ? undefined : 'must be an object of schemas or lists of property names';
  }
  if (key === 'dependentRequired') {
    return isNode(value) && Object.values(value).every(isStringList)
      ? undefined
      : 'must be an object of lists of property names';
  }
  if (key === 'required') return isStringList(value) ? undefined : 'must be a list of distinct strings';
  if (key === 'enum') return Array.isArray(value) ? undefined : 'must be a list';
  if (COUNTS.includes(key)) return isCount(value) ? undefined : 'must be a non-negative integer';
  if (NUMBERS.includes(key)) return typeof value === 'number' ? undefined : 'must be a number';
  if (key === 'multipleOf') {
    return typeof value === 'number' && value > 0 ? undefined : 'must be a number greater than 0';
  }
  if (key === 'pattern') {
    return typeof value === 'string' && compiles(value) ? undefined : 'must be a regular expression';
  }
  if (key === 'uniqueItems' || key === '$recursiveAnchor') {
    return typeof value === 'boolean' ? undefined : 'must be a boolean';
  }
  if (key === '$anchor' || key === '$dynamicAnchor') {
    return typeof value === 'string' && ANCHOR.test(value) ? undefined : 'must be a plain name';
  }
  if (STRINGS.includes(key)) return typeof value === 'string' ? undefined : 'must be a string';
  return undefined;
}

/** Keywords whose values hold subschemas, and how: one, a list, or a map. */
function children(key: string, value: unknown): unknown[] {
  if (ONE_SCHEMA.includes(key)) return [value];
  if (key === 'items') return Array.isArray(value) ? value : [value];
  if (SCHEMA_LISTS.includes(key)) return Array.isArray(value) ? value : [];
  if (SCHEMA_MAPS.includes(key) || key === 'dependencies') return isNode(value) ? Object.values(value) : [];
  return [];
}

const escapeKey = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Calls `visit` with every schema object inside `root` (itself included) and its path (`schema/properties/a`),
 * following the keywords that hold subschemas; stops at the first string `visit` returns and returns it.
 */
export function walkSchemas(
  root: unknown,
  visit: (node: Record<string, unknown>, path: string) => string | undefined,
): string | undefined {
  const stack: Array<[unknown, string]> = [[root, 'schema']];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const [node, path] = stack.pop() as [unknown, string];
    if (!isNode(node) || seen.has(node)) continue;
    seen.add(node);
    const stop = visit(node, path);
    if (stop !== undefined) return stop;
    for (const [key, value] of Object.entries(node)) {
      if (isNode(value) && (SCHEMA_MAPS.includes(key) || key === 'dependencies')) {
        for (const [name, sub] of Object.entries(value))
          stack.push([sub, `${path}/${escapeKey(key)}/${escapeKey(name)}`]);
      } else if (Array.isArray(value)) {
        children(key, value).forEach((sub, i) => {
          stack.push([sub, `${path}/${escapeKey(key)}/${i}`]);
        });
      } else {
        for (const sub of children(key, value)) stack.push([sub, `${path}/${escapeKey(key)}`]);
      }
    }
  }
  return undefined;
}

/**
 * The first problem in `schema` as `schema/properties/a/type must be ...`, or undefined when every keyword
 * has the shape `dialect` gives it. Unknown keywords are allowed (`x-mcp-header`, `enumNames`).
 */
export function findSchemaProblem(schema: unknown, dialect: Dialect): string | undefined {
  if (!isSchema(schema)) return 'schema must be an object or a boolean';
  return walkSchemas(schema, (node, path) => {
    for (const [key, value] of Object.entries(node)) {
      const problem = keywordProblem(key, value, dialect);
      if (problem !== undefined) return `${path}/${escapeKey(key)} ${problem}`;
    }
    return undefined;
  });
}
