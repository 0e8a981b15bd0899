/** The ajv JSON Schema validator (the default where code generation is allowed): 2020-12 unless `$schema` says otherwise. */
import { Ajv, type ErrorObject, type Options, type ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { findRefCycle } from './cycles.ts';
import { dialectOf } from './dialects.ts';
import { FORMATS } from './formats.ts';
import { failure, formatPath, jsonTypeOf, locate } from './issues.ts';
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
  create(options: Options): Ajv;
  checker?: Ajv;
}

const AJV: Record<string, AjvDialect> = {
  '2020-12': { create: (o) => new Ajv2020(o) },
  '2019-09': { create: (o) => new Ajv2019(o) },
  'draft-07': { create: (o) => new Ajv(o) },
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

function checkerFor(dialect: AjvDialect): Ajv {
  dialect.checker ??= dialect.create({ strict: false, logger: false, addUsedSchema: false });
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
  const seen = new Set<string>();
  const issues: ValidationIssue[] = [];
  for (const error of errors ?? []) {
    const issue = toIssue(error, root);
    const key = `${issue.path}\u0000${issue.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      issues.push(issue);
    }
  }
  if (issues.length === 0) issues.push({ path: '', message: 'is invalid' });
  return failure(issues);
}

function compileJsonSchema(schema: JsonSchema, label: string): ValidateFn {
  const dialect = dialectOf(schema, label);
  const engine = AJV[dialect.name];
  // ajv knows each meta-schema by one spelling of its URI: give it that one (the schema published is unchanged).
  const source =
    schema.$schema === undefined || schema.$schema === dialect.uri
      ? schema
      : { ...schema, $schema: dialect.uri };
  const checker = checkerFor(engine);
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
  if (loop) {
    throw new SchemaError(
      `${label} refers to itself without descending into the value (${loop.join(' → ')}), so validating ` +
        'anything with it would never end. Put the reference under properties, items or the like, or remove it.',
    );
  }
  // A fresh instance per schema: schemas never share $id registrations or cache entries, so the compiled
  // validator lives exactly as long as the schema's CompiledSchema does.
  let check: ValidateFunction;
  try {
    check = engine.create(COMPILE_OPTIONS).compile(source);
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
