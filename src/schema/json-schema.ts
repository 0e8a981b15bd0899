/** The default JSON Schema validator: ajv, 2020-12 unless `$schema` names another supported dialect. */
import { Ajv, type ErrorObject, type Options, type ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { findRefCycle } from './cycles.ts';
import { FORMATS } from './formats.ts';
import { failure, formatPath, jsonTypeOf } from './issues.ts';
import type {
  JsonSchema,
  JsonSchemaValidator,
  ValidateFn,
  ValidationIssue,
  ValidationResult,
} from './types.ts';
import { SchemaError } from './types.ts';

interface Dialect {
  name: string;
  /** The `$schema` URI without scheme and trailing `#`, lower case. */
  key: string;
  /** The `$schema` URI ajv knows the dialect's meta-schema by. */
  uri: string;
  create(options: Options): Ajv;
  checker?: Ajv;
}

const DIALECTS: Dialect[] = [
  {
    name: '2020-12',
    key: 'json-schema.org/draft/2020-12/schema',
    uri: 'https://json-schema.org/draft/2020-12/schema',
    create: (o) => new Ajv2020(o),
  },
  {
    name: '2019-09',
    key: 'json-schema.org/draft/2019-09/schema',
    uri: 'https://json-schema.org/draft/2019-09/schema',
    create: (o) => new Ajv2019(o),
  },
  {
    name: 'draft-07',
    key: 'json-schema.org/draft-07/schema',
    uri: 'http://json-schema.org/draft-07/schema#',
    create: (o) => new Ajv(o),
  },
];

/** The JSON Schema dialects the default validator accepts (the first is used when `$schema` is absent). */
export const SUPPORTED_DIALECTS: readonly string[] = DIALECTS.map((d) => d.name);

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

/** The key a `$schema` URI is looked up by: scheme, trailing '#' or '/' and case do not matter. */
const dialectKey = (uri: string): string =>
  uri
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/^\/\//, '')
    .replace(/#$/, '')
    .replace(/\/$/, '');

function dialectOf(schema: JsonSchema, label: string): Dialect {
  const declared = schema.$schema;
  if (declared === undefined) return DIALECTS[0];
  const supported = `supported: ${DIALECTS.map((d) => `${d.name} ("${d.uri}")`).join(', ')}; 2020-12 when $schema is absent`;
  if (typeof declared !== 'string') {
    throw new SchemaError(
      `${label} has a $schema of ${JSON.stringify(declared) ?? typeof declared}, not a URI string. ` +
        `Set $schema to one of the supported dialects or leave it out (${supported}).`,
    );
  }
  const key = dialectKey(declared);
  const dialect = DIALECTS.find((d) => d.key === key);
  if (dialect) return dialect;
  const older = /^json-schema\.org\/draft-0[3-6]\/schema$/.test(key)
    ? ' Draft-06 and older are not supported; most such schemas are valid draft-07: try "http://json-schema.org/draft-07/schema#".'
    : '';
  throw new SchemaError(
    `${label} declares an unsupported JSON Schema dialect ${JSON.stringify(declared)} (${supported}).${older}`,
  );
}

function checkerFor(dialect: Dialect): Ajv {
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

/** Where a JSON pointer leads in `root`: path segments (array indexes as numbers) and the value there. */
function locate(pointer: string, root: unknown): { segments: PropertyKey[]; value: unknown } {
  const segments: PropertyKey[] = [];
  let value = root;
  if (pointer === '') return { segments, value };
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(value) && /^\d+$/.test(key)) {
      segments.push(Number(key));
      value = value[Number(key)];
    } else {
      segments.push(key);
      value =
        typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
    }
  }
  return { segments, value };
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
  // ajv knows each meta-schema by one spelling of its URI: give it that one (the schema published is unchanged).
  const source =
    schema.$schema === undefined || schema.$schema === dialect.uri
      ? schema
      : { ...schema, $schema: dialect.uri };
  const checker = checkerFor(dialect);
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
    check = dialect.create(COMPILE_OPTIONS).compile(source);
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

/** The default JSON Schema validator (ajv): 2020-12, 2019-09 and draft-07, no network `$ref`. */
export const ajvValidator: JsonSchemaValidator = { compile: compileJsonSchema };
