/**
 * The ajv JSON Schema validator (the default where code generation is allowed): 2020-12 unless
 * `$schema` says otherwise. ajv is loaded at the first JSON Schema compiled, not with this module, so
 * that a server whose schemas are all Standard Schemas (zod, valibot, ...) never loads it.
 */
import type { Ajv, ErrorObject, Options, ValidateFunction } from 'ajv';
import type { Ajv2019 } from 'ajv/dist/2019.js';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import { findRefCycle, refCycleError } from './cycles.ts';
import { dialectOf } from './dialects.ts';
import { FORMATS } from './formats.ts';
import { distinctFailure, failure, formatPath, jsonTypeOf, locate } from './issues.ts';
import { loadOnce, requireHere } from './runtime.ts';
import type {
  JsonSchema,
  JsonSchemaValidator,
  ValidateFn,
  ValidationIssue,
  ValidationResult,
} from './types.ts';
import { SchemaError } from './types.ts';

/** ajv's class for each dialect, with a checker of schemas made when first needed. */
interface AjvDialect {
  create(ajv: AjvModules, options: Options): Ajv;
  checker?: Ajv;
}

/** What is taken from ajv's three CommonJS modules. */
interface AjvModules {
  Ajv: typeof Ajv;
  Ajv2019: typeof Ajv2019;
  Ajv2020: typeof Ajv2020;
}

/** ajv's classes, loaded on first use (ajv is CommonJS, so `require` gives them synchronously), or why not. */
const ajvModules = loadOnce((): AjvModules => {
  const require = requireHere();
  return {
    Ajv: (require('ajv') as { Ajv: typeof Ajv }).Ajv,
    Ajv2019: (require('ajv/dist/2019.js') as { Ajv2019: typeof Ajv2019 }).Ajv2019,
    Ajv2020: (require('ajv/dist/2020.js') as { Ajv2020: typeof Ajv2020 }).Ajv2020,
  };
});

/** Whether ajv can be loaded here (it is, on first call, if so); `autoValidator` uses @cfworker/json-schema where not. */
export function ajvAvailable(): boolean {
  return !(ajvModules() instanceof Error);
}

function loadAjv(label: string): AjvModules {
  const modules = ajvModules();
  if (modules instanceof Error) {
    throw new SchemaError(
      `${label} cannot be compiled with ajv, which could not be loaded here (${modules.message}); ` +
        'use cfworkerValidator (from mcpkit/schema) as jsonSchemaValidator instead.',
      { cause: modules },
    );
  }
  return modules;
}

const AJV: Record<string, AjvDialect> = {
  '2020-12': { create: (ajv, o) => new ajv.Ajv2020(o) },
  '2019-09': { create: (ajv, o) => new ajv.Ajv2019(o) },
  'draft-07': { create: (ajv, o) => new ajv.Ajv(o) },
};

// No loadSchema: a $ref is resolved only inside the schema, never fetched.
const COMPILE_OPTIONS: Options = {
  strict: false,
  allErrors: true,
  validateSchema: false,
  // Each schema gets an Ajv instance of its own; registering it there lets `"$ref": "#"` reach its root.
  addUsedSchema: true,
  logger: false,
  formats: FORMATS,
};

function checkerFor(ajv: AjvModules, dialect: AjvDialect): Ajv {
  dialect.checker ??= dialect.create(ajv, { strict: false, logger: false, addUsedSchema: false });
  return dialect.checker;
}

function reasonOf(error: unknown): string {
  if (error instanceof Error && 'missingRef' in error) {
    return (
      `it has a $ref that cannot be resolved: ${JSON.stringify(error.missingRef)} ` +
      '(references resolve only within the schema; remote schemas are never fetched)'
    );
  }
  if (error instanceof RangeError) return 'it is nested too deeply or refers to itself without end';
  return (error instanceof Error ? error.message : String(error)).replace(/\.$/, '');
}

function toIssue(error: ErrorObject, root: unknown): ValidationIssue {
  const { segments, value } = locate(error.instancePath, root);
  const params = error.params as Record<string, unknown>;
  let message = error.message ?? `fails "${error.keyword}"`;
  switch (error.keyword) {
    case 'type':
      message = `expected ${String(params.type).split(',').join(' or ')}, got ${jsonTypeOf(value)}`;
      break;
    case 'required':
      segments.push(String(params.missingProperty));
      message = 'is required';
      break;
    case 'additionalProperties':
      segments.push(String(params.additionalProperty));
      message = 'is not an allowed property';
      break;
    case 'unevaluatedProperties':
      segments.push(String(params.unevaluatedProperty));
      message = 'is not an allowed property';
      break;
    case 'enum':
      message = `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
      break;
    case 'const':
      message = `must be ${JSON.stringify(params.allowedValue)}`;
      break;
    case 'format':
      message = `must be a valid ${String(params.format)}`;
      break;
  }
  return { path: formatPath(segments), message };
}

function toFailure(errors: ErrorObject[] | null | undefined, root: unknown): ValidationResult {
  return distinctFailure((errors ?? []).map((error) => toIssue(error, root)));
}

function compileJsonSchema(schema: JsonSchema, label: string): ValidateFn {
  const dialect = dialectOf(schema, label);
  const ajv = loadAjv(label);
  const engine = AJV[dialect.name];
  // ajv knows each meta-schema by one spelling of its URI: give it that one (the schema published is unchanged).
  const source =
    schema.$schema === undefined || schema.$schema === dialect.uri
      ? schema
      : { ...schema, $schema: dialect.uri };
  const checker = checkerFor(ajv, engine);
  let valid: boolean;
  try {
    valid = checker.validateSchema(source) === true;
  } catch (error) {
    throw new SchemaError(`${label} could not be checked against ${dialect.name}: ${reasonOf(error)}.`, {
      cause: error,
    });
  }
  if (!valid) {
    const detail = checker.errorsText(checker.errors, { dataVar: 'schema' });
    throw new SchemaError(`${label} is not a valid JSON Schema (${dialect.name}): ${detail}.`);
  }
  let loop: string[] | undefined;
  try {
    loop = findRefCycle(source);
  } catch (error) {
    throw new SchemaError(`${label} could not be compiled: ${reasonOf(error)}.`, { cause: error });
  }
  if (loop) throw refCycleError(label, loop);
  // A fresh instance per schema: schemas never share $id registrations or cache entries, so the compiled
  // validator lives exactly as long as the schema's CompiledSchema does.
  let check: ValidateFunction;
  try {
    check = engine.create(ajv, COMPILE_OPTIONS).compile(source);
  } catch (error) {
    throw new SchemaError(`${label} could not be compiled: ${reasonOf(error)}.`, { cause: error });
  }
  const tooDeep = (): ValidationResult =>
    failure([{ path: '', message: 'is nested too deeply to validate' }]);
  if ((check as { $async?: unknown }).$async === true) {
    const asyncCheck = check as unknown as (value: unknown) => Promise<unknown>;
    return (value) => {
      let pending: Promise<unknown>;
      try {
        pending = asyncCheck(value);
      } catch (error) {
        if (error instanceof RangeError) return tooDeep();
        throw error;
      }
      return pending.then(
        (): ValidationResult => ({ ok: true, value }),
        (error: unknown) => {
          if (error instanceof Error && 'errors' in error && Array.isArray(error.errors)) {
            return toFailure(error.errors as ErrorObject[], value);
          }
          if (error instanceof RangeError) return tooDeep();
          throw error;
        },
      );
    };
  }
  return (value) => {
    try {
      return check(value) ? { ok: true, value } : toFailure(check.errors, value);
    } catch (error) {
      if (error instanceof RangeError) return tooDeep();
      throw error;
    }
  };
}

/** The ajv JSON Schema validator: 2020-12, 2019-09 and draft-07, no network `$ref`; compiles to code (`new Function`). */
export const ajvValidator: JsonSchemaValidator = { compile: compileJsonSchema };
