/**
 * Checks messages against each revision's own `schema.json`: the spec repository's
 * `schema/<revision>/schema.json` files, read from the folder that `MCPKIT_SCHEMA_DIR` names. No npm
 * package ships them, so only `npm run test:schemas` (run by CI after `npm test`) uses this module, and
 * it fails with a clear message when the folder is missing. Plain validation with ajv, plus a strict mode: the
 * schemas let objects carry properties they do not declare, so strict mode also reports every property
 * that the matching definition does not declare. A 2024-11-05 peer sent `title` is valid JSON Schema-wise
 * and wrong all the same; strict mode says so.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { Revision } from '../../src/protocol/revisions.ts';

/** A JSON Schema object, as read from `schema.json`. */
export type SchemaNode = Record<string, unknown>;

/** Which side sends a message. */
export type Direction = 'client' | 'server';

/** Options for `checkMessage`. */
export interface CheckOptions {
  /** Report properties the definition does not declare (default true). */
  strict?: boolean;
}

/** Options for `checkJsonRpc`. */
export interface JsonRpcCheckOptions extends CheckOptions {
  /** The method of the request that a response answers (needed to check a result). */
  method?: string;
}

/** The environment variable that names the spec's schema folder (holding `<revision>/schema.json`). */
export const SCHEMA_DIR_VARIABLE = 'MCPKIT_SCHEMA_DIR';

/**
 * The folder of the spec's per-revision schemas, from `MCPKIT_SCHEMA_DIR` (relative to the working
 * directory). Throws, saying how to fix it, when the variable is unset or the folder lacks a schema.
 */
export function schemaDir(revisions: readonly string[] = []): URL {
  const given = process.env[SCHEMA_DIR_VARIABLE];
  const how =
    `Set ${SCHEMA_DIR_VARIABLE} to the "schema" folder of a checkout of ` +
    'https://github.com/modelcontextprotocol/modelcontextprotocol (it holds <revision>/schema.json), ' +
    `e.g. ${SCHEMA_DIR_VARIABLE}=/path/to/modelcontextprotocol/schema npm run test:schemas`;
  if (given === undefined || given === '') {
    throw new Error(
      `The schema checks need the MCP spec's schema files, and ${SCHEMA_DIR_VARIABLE} is not set. ${how}`,
    );
  }
  const dir = resolve(given);
  const missing = revisions.filter((r) => !existsSync(resolve(dir, r, 'schema.json')));
  if (!existsSync(dir) || missing.length > 0) {
    const what = existsSync(dir)
      ? `has no ${missing.map((r) => `${r}/schema.json`).join(', ')}`
      : 'does not exist';
    throw new Error(`${SCHEMA_DIR_VARIABLE}=${given}: ${dir} ${what}. ${how}`);
  }
  return pathToFileURL(`${dir}/`);
}

/** Properties whose contents are open by design and never walked in strict mode. */
const OPEN_BY_NAME = new Set([
  '_meta',
  'inputSchema',
  'outputSchema',
  'arguments',
  'structuredContent',
  'experimental',
]);

/** Envelope members that older schemas keep out of the per-method definitions. */
const ENVELOPE = ['jsonrpc', 'id'];

interface Loaded {
  readonly defs: Record<string, SchemaNode>;
  /** The schema's id, to which JSON pointers are appended. */
  readonly id: string;
  /** `/definitions` (draft-07) or `/$defs` (2020-12). */
  readonly defsPointer: string;
  readonly ajv: Ajv;
  /** Request and notification definitions by method, per sending side. */
  readonly methods: Record<Direction, { requests: Map<string, string>; notifications: Map<string, string> }>;
}

const cache = new Map<Revision, Loaded>();

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const URI = /^[A-Za-z][A-Za-z0-9+.-]*:\S*$/;

function methodsOf(defs: Record<string, SchemaNode>, union: string): Map<string, string> {
  const out = new Map<string, string>();
  const node = defs[union];
  if (node === undefined) return out;
  const refs = Array.isArray(node.anyOf) ? (node.anyOf as SchemaNode[]) : [{ $ref: `#/x/${union}` }];
  for (const ref of refs) {
    const name = String(ref.$ref).split('/').pop() as string;
    const method = ((defs[name]?.properties as SchemaNode | undefined)?.method as SchemaNode | undefined)
      ?.const;
    if (typeof method === 'string') out.set(method, name);
  }
  return out;
}

function load(revision: Revision): Loaded {
  const hit = cache.get(revision);
  if (hit !== undefined) return hit;
  const schema = JSON.parse(
    readFileSync(new URL(`${revision}/schema.json`, schemaDir([revision])), 'utf8'),
  ) as SchemaNode;
  const modern = '$defs' in schema;
  const ajv = modern
    ? new Ajv2020({ strict: false, allErrors: true })
    : new Ajv({ strict: false, allErrors: true });
  ajv.addFormat('uri', URI);
  ajv.addFormat('uri-template', true);
  ajv.addFormat('byte', BASE64);
  const id = `urn:mcp-schema:${revision}`;
  ajv.addSchema(schema, id);
  const defs = (modern ? schema.$defs : schema.definitions) as Record<string, SchemaNode>;
  const loaded: Loaded = {
    defs,
    id,
    defsPointer: modern ? '/$defs' : '/definitions',
    ajv,
    methods: {
      client: {
        requests: methodsOf(defs, 'ClientRequest'),
        notifications: methodsOf(defs, 'ClientNotification'),
      },
      server: {
        requests: methodsOf(defs, 'ServerRequest'),
        notifications: methodsOf(defs, 'ServerNotification'),
      },
    },
  };
  cache.set(revision, loaded);
  return loaded;
}

/** The definitions of a revision's schema, by name. */
export function schemaDefinitions(revision: Revision): Readonly<Record<string, SchemaNode>> {
  return load(revision).defs;
}

function formatAjv(errors: ErrorObject[] | null | undefined, where: string): string[] {
  return (errors ?? []).map((e) => {
    const detail = e.keyword === 'const' || e.keyword === 'enum' ? ` ${JSON.stringify(e.params)}` : '';
    return `${where}${e.instancePath || '/'}: ${e.message ?? e.keyword}${detail} (${e.schemaPath})`;
  });
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** What strict mode walks with: the schema, a JSON pointer to the node, and extra keys allowed by path. */
interface Walk {
  readonly l: Loaded;
  readonly revision: Revision;
  readonly allow: ReadonlyMap<string, ReadonlySet<string>>;
}

function nodeAt(l: Loaded, pointer: string): SchemaNode {
  let node: unknown = { $defs: l.defs, definitions: l.defs };
  for (const part of pointer.split('/').slice(1)) {
    node = (node as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node as SchemaNode;
}

function validatorAt(l: Loaded, pointer: string): ValidateFunction {
  const v = l.ajv.getSchema(`${l.id}#${pointer}`);
  if (v === undefined) throw new Error(`No schema at ${pointer}`);
  return v;
}

function esc(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Walks a value alongside the schema node at `pointer`, reporting undeclared properties. */
function walk(
  w: Walk,
  value: unknown,
  pointer: string,
  path: string,
  def: string,
  out: string[],
  siblings: ReadonlySet<string> = new Set(),
): void {
  let node = nodeAt(w.l, pointer);
  while (typeof node.$ref === 'string') {
    pointer = node.$ref.slice(1);
    def = pointer.split('/').pop() as string;
    node = nodeAt(w.l, pointer);
  }
  for (const kw of ['anyOf', 'oneOf'] as const) {
    const branches = node[kw];
    if (!Array.isArray(branches)) continue;
    // Of the branches the value satisfies, follow the one that declares the most of it.
    let best: string[] | undefined;
    for (let i = 0; i < branches.length && best?.length !== 0; i++) {
      const p = `${pointer}/${kw}/${i}`;
      if (!validatorAt(w.l, p)(value)) continue;
      const errs: string[] = [];
      walk(w, value, p, path, def, errs, siblings);
      if (best === undefined || errs.length < best.length) best = errs;
    }
    out.push(...(best ?? []));
  }
  if (Array.isArray(node.allOf)) {
    // Each branch may hold keys that another branch declares.
    const merged = new Set(node.allOf.flatMap((b: SchemaNode) => [...baseKeys(w.l, b)]));
    node.allOf.forEach((_, i) => {
      walk(w, value, `${pointer}/allOf/${i}`, path, def, out, merged);
    });
  }
  if (Array.isArray(value) && isPlainObject(node.items)) {
    value.forEach((item, i) => {
      walk(w, item, `${pointer}/items`, `${path}/${i}`, def, out);
    });
  }
  if (!isPlainObject(value)) return;
  const props = isPlainObject(node.properties) ? node.properties : undefined;
  const extra = node.additionalProperties;
  const open = extra !== undefined || props === undefined || Array.isArray(node.allOf);
  const allowed = w.allow.get(path);
  for (const [key, v] of Object.entries(value)) {
    if (props !== undefined && key in props) {
      if (!OPEN_BY_NAME.has(key)) walk(w, v, `${pointer}/properties/${esc(key)}`, `${path}/${key}`, def, out);
    } else if (isPlainObject(extra) && Object.keys(extra).length > 0 && !OPEN_BY_NAME.has(key)) {
      walk(w, v, `${pointer}/additionalProperties`, `${path}/${key}`, def, out);
    } else if (!open && !allowed?.has(key) && !siblings.has(key)) {
      out.push(`${path || '/'}: property "${key}" is not declared by ${def} in ${w.revision}`);
    }
  }
}

/** The keys a schema node declares, following $ref. */
function baseKeys(l: Loaded, node: SchemaNode | undefined): Set<string> {
  let n = node;
  while (n !== undefined && typeof n.$ref === 'string') n = nodeAt(l, n.$ref.slice(1));
  return new Set(n !== undefined && isPlainObject(n.properties) ? Object.keys(n.properties) : []);
}

/**
 * Keys the base types (`Request`, `Notification`, `Result`) declare for every message of their kind,
 * such as `_meta` in params: older schemas do not repeat them in each definition.
 */
function baseAllowances(l: Loaded, definitionName: string): Map<string, Set<string>> {
  const allow = new Map<string, Set<string>>();
  const params = (base: string) => (l.defs[base]?.properties as SchemaNode | undefined)?.params as SchemaNode;
  if (definitionName.endsWith('Request')) allow.set('/params', baseKeys(l, params('Request')));
  if (definitionName.endsWith('Notification')) allow.set('/params', baseKeys(l, params('Notification')));
  if (definitionName.endsWith('Result')) allow.set('', baseKeys(l, l.defs.Result));
  if (definitionName.endsWith('ResultResponse')) allow.set('/result', baseKeys(l, l.defs.Result));
  return allow;
}

/**
 * Checks `value` against definition `definitionName` of `revision`'s schema. Returns the problems
 * found, one line each; empty when the value conforms.
 */
export function checkMessage(
  revision: Revision,
  definitionName: string,
  value: unknown,
  options: CheckOptions = {},
): string[] {
  const l = load(revision);
  if (l.defs[definitionName] === undefined) return [`${revision} has no definition named ${definitionName}`];
  const pointer = `${l.defsPointer}/${definitionName}`;
  const validate = validatorAt(l, pointer);
  if (!validate(value)) return formatAjv(validate.errors, `${definitionName} `);
  if (options.strict === false) return [];
  const out: string[] = [];
  walk({ l, revision, allow: baseAllowances(l, definitionName) }, value, pointer, '', definitionName, out);
  return out;
}

/** The definition that describes a request or notification `method` sent by `direction` in `revision`. */
export function definitionForMethod(
  revision: Revision,
  method: string,
  direction: Direction,
  kind: 'request' | 'notification',
): string | undefined {
  const m = load(revision).methods[direction];
  return (kind === 'request' ? m.requests : m.notifications).get(method);
}

/**
 * The definition that describes the result of request `method`, and whether it covers the whole
 * response (2026-07-28's `...ResultResponse`) or only its `result`.
 */
export function resultDefinition(
  revision: Revision,
  method: string,
  direction: Direction,
): { name: string; whole: boolean } | undefined {
  const l = load(revision);
  const request = l.methods[direction === 'client' ? 'server' : 'client'].requests.get(method);
  if (request === undefined) return undefined;
  const base = request.replace(/Request$/, '');
  if (l.defs[`${base}ResultResponse`] !== undefined) return { name: `${base}ResultResponse`, whole: true };
  if (l.defs[`${base}Result`] !== undefined) return { name: `${base}Result`, whole: false };
  return { name: 'EmptyResult', whole: false };
}

function withoutEnvelope(l: Loaded, definition: string, message: Record<string, unknown>): unknown {
  const props = l.defs[definition]?.properties;
  if (isPlainObject(props) && 'jsonrpc' in props) return message;
  const out = { ...message };
  for (const k of ENVELOPE) delete out[k];
  return out;
}

/**
 * Checks one JSON-RPC message sent by `direction` against `revision`'s schema: the envelope, then the
 * definition for its method (for a result, `options.method` names the request it answers).
 */
export function checkJsonRpc(
  revision: Revision,
  message: unknown,
  direction: Direction,
  options: JsonRpcCheckOptions = {},
): string[] {
  const l = load(revision);
  if (!isPlainObject(message)) return ['a JSON-RPC message must be an object'];
  const errorEnvelope = l.defs.JSONRPCErrorResponse !== undefined ? 'JSONRPCErrorResponse' : 'JSONRPCError';
  if ('error' in message) return checkMessage(revision, errorEnvelope, message, options);
  if (typeof message.method === 'string') {
    const kind = 'id' in message ? 'request' : 'notification';
    const envelope = kind === 'request' ? 'JSONRPCRequest' : 'JSONRPCNotification';
    const problems = checkMessage(revision, envelope, message, { strict: false });
    const def = definitionForMethod(revision, message.method, direction, kind);
    if (def === undefined) {
      return [...problems, `${message.method} is not a ${direction}→peer ${kind} in ${revision}`];
    }
    return [...problems, ...checkMessage(revision, def, withoutEnvelope(l, def, message), options)];
  }
  if (!('result' in message)) return ['a JSON-RPC message needs "method", "result" or "error"'];
  if (options.method === undefined)
    return ['checking a result needs options.method (the request it answers)'];
  const found = resultDefinition(revision, options.method, direction);
  if (found === undefined)
    return [`${options.method} is not a request the ${direction} answers in ${revision}`];
  if (found.whole) return checkMessage(revision, found.name, message, options);
  const envelope = l.defs.JSONRPCResultResponse !== undefined ? 'JSONRPCResultResponse' : 'JSONRPCResponse';
  const problems = checkMessage(revision, envelope, message, { strict: false });
  return [...problems, ...checkMessage(revision, found.name, message.result, options)];
}
