/**
 * `x-mcp-header` tool parameters mirrored in `Mcp-Param-*` HTTP headers (2026-07-28): which
 * parameters a tool mirrors, and the header value encoding (plain visible ASCII, or
 * `=?base64?…?=` for anything else).
 */
import type { Tool } from './server-features.ts';

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** An `x-mcp-header` parameter: the chain of `properties` keys leading to it, and its header name. */
export type HeaderParam = [path: string[], header: string];

/** Keywords whose values are schemas, maps of schemas or lists of schemas (other than `properties`). */
const SCHEMA_KEYWORDS = [
  'items',
  'prefixItems',
  'additionalItems',
  'unevaluatedItems',
  'contains',
  'additionalProperties',
  'unevaluatedProperties',
  'patternProperties',
  'propertyNames',
  'dependentSchemas',
  'dependencies',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
  'if',
  'then',
  'else',
  '$defs',
  'definitions',
  'contentSchema',
];
const MAPS = new Set(['patternProperties', 'dependentSchemas', 'dependencies', '$defs', 'definitions']);

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The `x-mcp-header` parameters of a tool, with the property path of each, or undefined when the tool's
 * annotations are invalid (the client must then not call it, the server must not offer it): empty or
 * duplicate (case-insensitively) names, names that are not HTTP tokens, an annotation on a property that is
 * not a string, integer or boolean, or one that is not reached from the root by `properties` keys alone
 * (under items, anyOf/oneOf/allOf/not, if/then/else, $defs, additionalProperties, or on the root itself).
 */
export function headerParams(tool: Tool): HeaderParam[] | undefined {
  const root: unknown = tool.inputSchema;
  const out: HeaderParam[] = [];
  const seen = new Set<string>();
  const visited = new Set<unknown>();
  // Schemas still to look at; `path` is set for those reached from the root through `properties` alone.
  const stack: Array<{ schema: unknown; path: string[] | undefined }> = [{ schema: root, path: undefined }];
  let first = true;
  while (stack.length > 0) {
    const { schema, path } = stack.pop() as { schema: unknown; path: string[] | undefined };
    if (!isObject(schema) || visited.has(schema)) continue;
    visited.add(schema);
    const atRoot = first;
    first = false;
    if (Object.hasOwn(schema, 'x-mcp-header')) {
      if (path === undefined) return undefined;
      const header = schema['x-mcp-header'];
      const type = schema.type;
      if (typeof header !== 'string' || !TOKEN.test(header)) return undefined;
      if (type !== 'string' && type !== 'integer' && type !== 'boolean') return undefined;
      const lower = header.toLowerCase();
      if (seen.has(lower)) return undefined;
      seen.add(lower);
      out.push([path, header]);
    }
    const properties = schema.properties;
    if (isObject(properties)) {
      const entries = Object.entries(properties);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [name, sub] = entries[i];
        const chain = atRoot || path !== undefined;
        stack.push({ schema: sub, path: chain ? [...(path ?? []), name] : undefined });
      }
    }
    for (const key of SCHEMA_KEYWORDS) {
      const value = schema[key];
      if (Array.isArray(value)) for (const sub of value) stack.push({ schema: sub, path: undefined });
      else if (MAPS.has(key) && isObject(value)) {
        for (const sub of Object.values(value)) stack.push({ schema: sub, path: undefined });
      } else stack.push({ schema: value, path: undefined });
    }
  }
  // Properties come out in document order, the first annotated property first.
  return out;
}

/** The value at a property path of the arguments, or undefined when there is none there. */
export function valueAtPath(args: unknown, path: readonly string[]): unknown {
  let value = args;
  for (const key of path) {
    if (!isObject(value) || !Object.hasOwn(value, key)) return undefined;
    value = value[key];
  }
  return value;
}

/** A property path as text: `arguments.a.b`, `arguments["odd key"]`. */
export function describePath(path: readonly string[]): string {
  return `arguments${path.map((k) => (/^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`)).join('')}`;
}

/** Why the arguments cannot be mirrored in headers (an integer outside the JavaScript safe range), if so. */
export function headerValueProblem(
  params: ReadonlyArray<readonly [readonly string[], string]>,
  args: unknown,
): string | undefined {
  for (const [path, header] of params) {
    const value = valueAtPath(args, path);
    if (typeof value === 'number' && !Number.isSafeInteger(value)) {
      return (
        `${describePath(path)} (${value}), mirrored in Mcp-Param-${header}, must be an integer from ` +
        `-(2^53 - 1) to 2^53 - 1.`
      );
    }
  }
  return undefined;
}

/** The `Mcp-Param-*` headers for a tool call's arguments: one per parameter with a value at its path. */
export function paramHeaderValues(
  params: ReadonlyArray<readonly [readonly string[], string]>,
  args: unknown,
): Record<string, string> | undefined {
  let out: Record<string, string> | undefined;
  for (const [path, header] of params) {
    const value = encodeHeaderValue(valueAtPath(args, path));
    if (value === undefined) continue;
    out ??= {};
    out[`Mcp-Param-${header}`] = value;
  }
  return out;
}

/** Encodes one parameter value for an `Mcp-Param-*` header; undefined means "send no header". */
export function encodeHeaderValue(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const plain = /^[\x20-\x7e]*$/.test(text) && text.trim() === text && !/^=\?base64\?.*\?=$/s.test(text);
  if (plain) return text;
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return `=?base64?${btoa(binary)}?=`;
}

/**
 * Decodes an `Mcp-Param-*` header value: the `=?base64?…?=` form strictly (canonical padding, base64
 * alphabet only, valid UTF-8), anything else as the literal text. Undefined when the encoded form is
 * malformed.
 */
export function decodeHeaderValue(value: string): string | undefined {
  const m = /^=\?base64\?(.*)\?=$/.exec(value);
  if (!m) return value;
  const b64 = m[1];
  if (b64.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) return undefined;
  let binary: string;
  try {
    binary = atob(b64);
  } catch {
    return undefined;
  }
  if (btoa(binary) !== b64) return undefined;
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
