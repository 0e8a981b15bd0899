/**
 * The JSON Schema validator for runtimes that forbid code generation from strings (Cloudflare Workers,
 * pages with a strict Content Security Policy): @cfworker/json-schema, which interprets the schema
 * instead of compiling it to code. Same dialects, formats, reference rules and messages as the ajv one.
 */
import type { OutputUnit, Schema, SchemaDraft } from '@cfworker/json-schema';
import { findRefCycle, refCycleError } from './cycles.ts';
import { dialectOf } from './dialects.ts';
import { FORMATS } from './formats.ts';
import { distinctFailure, failure, formatPath, jsonTypeOf, locate } from './issues.ts';
import { loadOnce, preloadedCfworker, requireHere } from './runtime.ts';
import type { CfworkerLibrary } from './runtime-types.ts';
import type {
  JsonSchema,
  JsonSchemaValidator,
  ValidateFn,
  ValidationIssue,
  ValidationResult,
} from './types.ts';
import { SchemaError } from './types.ts';
import { findSchemaProblem, walkSchemas } from './well-formed.ts';

const DRAFTS: Record<string, SchemaDraft> = { '2020-12': '2020-12', '2019-09': '2019-09', 'draft-07': '7' };

/** Our format checkers, under names of our own so that other users of the library keep its checkers. */
const FORMAT_PREFIX = 'mcpkit:';

/** The library, imported up front or loaded at the first schema compiled (see runtime.ts), with our formats added. */
const cfworkerLibrary = loadOnce((): CfworkerLibrary => {
  const library = preloadedCfworker ?? (requireHere()('@cfworker/json-schema') as CfworkerLibrary);
  for (const [name, check] of Object.entries(FORMATS)) library.format[`${FORMAT_PREFIX}${name}`] = check;
  return library;
});

function library(label: string): CfworkerLibrary {
  const loaded = cfworkerLibrary();
  if (loaded instanceof Error) {
    throw new SchemaError(
      `${label} cannot be compiled with @cfworker/json-schema, which could not be loaded here (${loaded.message}); ` +
        "resolve mcpkit with the 'workerd' or 'browser' export condition (wrangler and browser bundlers do), " +
        'or pass a jsonSchemaValidator of your own.',
      { cause: loaded },
    );
  }
  return loaded;
}

/** Keywords whose error only introduces the errors of a subschema, reported after it. */
const WRAPPERS = new Set([
  '$ref',
  '$recursiveRef',
  'properties',
  'patternProperties',
  'additionalProperties',
  'unevaluatedProperties',
  'prefixItems',
  'items',
  'additionalItems',
  'unevaluatedItems',
  'allOf',
  'if',
  'propertyNames',
  'dependentSchemas',
]);

const unresolved = (ref: string): string =>
  `it has a $ref that cannot be resolved: ${JSON.stringify(ref)} ` +
  '(references resolve only within the schema; remote schemas are never fetched)';

/**
 * A copy of the schema the library can run as ajv would: only our formats are checked (others pass),
 * and `$dynamicRef` resolves as a `$ref` to the `$dynamicAnchor` it names (the library has no dynamic scope).
 */
function prepare(schema: JsonSchema): JsonSchema {
  const copy = structuredClone(schema);
  const dynamicAnchors = new Set<string>();
  walkSchemas(copy, (node) => {
    if (typeof node.$dynamicAnchor === 'string') dynamicAnchors.add(node.$dynamicAnchor);
    return undefined;
  });
  walkSchemas(copy, (node) => {
    if (typeof node.format === 'string') {
      if (Object.hasOwn(FORMATS, node.format)) node.format = `${FORMAT_PREFIX}${node.format}`;
      else delete node.format;
    }
    if (typeof node.$dynamicAnchor === 'string' && node.$anchor === undefined)
      node.$anchor = node.$dynamicAnchor;
    const dynamic = node.$dynamicRef;
    if (typeof dynamic === 'string') {
      delete node.$dynamicRef;
      // A dynamic reference to an anchor that no schema declares starts again at the root.
      const name = dynamic.startsWith('#') ? dynamic.slice(1) : undefined;
      const ref =
        name !== undefined && !name.startsWith('/') && name !== '' && !dynamicAnchors.has(name)
          ? '#'
          : dynamic;
      if (node.$ref === undefined) node.$ref = ref;
      else node.allOf = [...(Array.isArray(node.allOf) ? node.allOf : []), { $ref: ref }];
    }
    return undefined;
  });
  return copy;
}

/** Fails at compile time, as ajv does, on a reference the library could only report while validating. */
function checkReferences(lookup: Record<string, Schema | boolean>, label: string): void {
  for (const node of Object.values(lookup)) {
    if (typeof node !== 'object' || node === null) continue;
    const absolute = node.__absolute_ref__;
    if (typeof absolute === 'string' && lookup[absolute] === undefined) {
      throw new SchemaError(`${label} could not be compiled: ${unresolved(String(node.$ref))}.`);
    }
    if (node.$recursiveRef !== undefined && node.$recursiveRef !== '#') {
      throw new SchemaError(`${label} could not be compiled: ${unresolved(String(node.$recursiveRef))}.`);
    }
  }
}

/** The JSON pointer of an error's `instanceLocation` (`#/odd%20key` → `/odd key`). */
function pointerOf(location: string): string {
  const fragment = location.startsWith('#') ? location.slice(1) : location;
  try {
    return decodeURIComponent(fragment);
  } catch {
    return fragment;
  }
}

/** The quoted name at the end of a message such as `... required property "b".`. */
function quoted(message: string): string {
  const m = /"(.*)"\.$/s.exec(message);
  return m ? m[1] : '';
}

/** The JSON after `prefix` in a message such as `Instance does not match any of ["a"].`. */
function jsonAfter(message: string, prefix: string): unknown {
  try {
    return JSON.parse(message.slice(message.indexOf(prefix) + prefix.length).replace(/\.$/, ''));
  } catch {
    return undefined;
  }
}

function toIssue(error: OutputUnit, previous: OutputUnit | undefined, root: unknown): ValidationIssue {
  const { segments, value } = locate(pointerOf(error.instanceLocation), root);
  let message = error.error.replace(/\.$/, '');
  switch (error.keyword) {
    case 'type': {
      const expected = (error.error.split('Expected ')[1] ?? '').match(/"[^"]*"/g) ?? [];
      message = `expected ${expected.map((t) => t.slice(1, -1)).join(' or ')}, got ${jsonTypeOf(value)}`;
      break;
    }
    case 'required':
      segments.push(quoted(error.error));
      message = 'is required';
      break;
    case 'false':
      message =
        previous?.keyword === 'additionalProperties' || previous?.keyword === 'unevaluatedProperties'
          ? 'is not an allowed property'
          : 'is not allowed';
      break;
    case 'enum': {
      const allowed = jsonAfter(error.error, 'any of ');
      if (Array.isArray(allowed))
        message = `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`;
      break;
    }
    case 'const':
      message = `must be ${JSON.stringify(jsonAfter(error.error, 'does not match '))}`;
      break;
    case 'format':
      message = `must be a valid ${quoted(error.error).replace(FORMAT_PREFIX, '')}`;
      break;
  }
  return { path: formatPath(segments), message };
}

function toFailure(errors: OutputUnit[], root: unknown): ValidationResult {
  return distinctFailure(
    errors.flatMap((error, i) => (WRAPPERS.has(error.keyword) ? [] : [toIssue(error, errors[i - 1], root)])),
  );
}

function compileJsonSchema(schema: JsonSchema, label: string): ValidateFn {
  const dialect = dialectOf(schema, label);
  const problem = findSchemaProblem(schema, dialect);
  if (problem !== undefined) {
    throw new SchemaError(`${label} is not a valid JSON Schema (${dialect.name}): ${problem}.`);
  }
  const loop = findRefCycle(schema);
  if (loop) throw refCycleError(label, loop);
  const { dereference, validate } = library(label);
  const prepared = prepare(schema) as Schema;
  const draft = DRAFTS[dialect.name];
  let lookup: Record<string, Schema | boolean>;
  try {
    lookup = dereference(prepared);
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).replace(/\.$/, '');
    throw new SchemaError(`${label} could not be compiled: ${reason}.`, { cause: error });
  }
  checkReferences(lookup, label);
  return (value) => {
    try {
      // All errors, not the first: shortCircuit off, as ajv runs with allErrors.
      const result = validate(value, prepared, draft, lookup, false);
      return result.valid ? { ok: true, value } : toFailure(result.errors, value);
    } catch (error) {
      if (error instanceof RangeError)
        return failure([{ path: '', message: 'is nested too deeply to validate' }]);
      // The library refuses values JSON cannot hold (undefined, functions, bigints) by throwing.
      const reason = (error instanceof Error ? error.message : String(error)).replace(/\.$/, '');
      return failure([{ path: '', message: `cannot be validated: ${reason}` }]);
    }
  };
}

/**
 * The JSON Schema validator that needs no code generation (@cfworker/json-schema): 2020-12, 2019-09 and
 * draft-07, no network `$ref`. Slower than ajv; the default only where `new Function` is refused.
 */
export const cfworkerValidator: JsonSchemaValidator = { compile: compileJsonSchema };
