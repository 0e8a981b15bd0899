/** The default JSON Schema validator: ajv, 2020-12 unless `$schema` names another supported dialect. */
import { Ajv, type ErrorObject, type Options, type ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
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
  /** The `$schema` URI without scheme and trailing `#`. */
  key: string;
  create(options: Options): Ajv;
  checker?: Ajv;
}

const DIALECTS: Dialect[] = [
  { name: '2020-12', key: 'json-schema.org/draft/2020-12/schema', create: (o) => new Ajv2020(o) },
  { name: '2019-09', key: 'json-schema.org/draft/2019-09/schema', create: (o) => new Ajv2019(o) },
  { name: 'draft-07', key: 'json-schema.org/draft-07/schema', create: (o) => new Ajv(o) },
];

/** The JSON Schema dialects the default validator accepts (the first is used when `$schema` is absent). */
export const SUPPORTED_DIALECTS: readonly string[] = DIALECTS.map((d) => d.name);

// No loadSchema: a $ref is resolved only inside the schema, never fetched.
const COMPILE_OPTIONS: Options = {
  strict: false,
  allErrors: true,
  validateSchema: false,
  addUsedSchema: false,
  logger: false,
  formats: FORMATS,
};

function dialectOf(schema: JsonSchema, label: string): Dialect {
  const declared = schema.$schema;
  if (declared === undefined) return DIALECTS[0];
  const key = typeof declared === 'string' ? declared.replace(/^https?:\/\//, '').replace(/#$/, '') : '';
  const dialect = DIALECTS.find((d) => d.key === key);
  if (dialect) return dialect;
  throw new SchemaError(
    `${label} declares an unsupported JSON Schema dialect ${JSON.stringify(declared)}; ` +
      `supported: ${SUPPORTED_DIALECTS.join(', ')} (2020-12 when $schema is absent).`,
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
  const checker = checkerFor(dialect);
  if (!checker.validateSchema(schema)) {
    const detail = checker.errorsText(checker.errors, { dataVar: 'schema' });
    throw new SchemaError(`${label} is not a valid JSON Schema (${dialect.name}): ${detail}.`);
  }
  // A fresh instance per schema: schemas never share $id registrations or cache entries, so the compiled
  // validator lives exactly as long as the schema's CompiledSchema does.
  let check: ValidateFunction;
  try {
    check = dialect.create(COMPILE_OPTIONS).compile(schema);
  } catch (error) {
    throw new SchemaError(`${label} could not be compiled: ${reasonOf(error)}.`, { cause: error });
  }
  if ((check as { $async?: unknown }).$async === true) {
    const asyncCheck = check as unknown as (value: unknown) => Promise<unknown>;
    return (value) =>
      asyncCheck(value).then(
        (): ValidationResult => ({ ok: true, value }),
        (error: unknown) => {
          if (error instanceof Error && 'errors' in error && Array.isArray(error.errors)) {
            return toFailure(error.errors as ErrorObject[], value);
          }
          throw error;
        },
      );
  }
  return (value) => (check(value) ? { ok: true, value } : toFailure(check.errors, value));
}

/** The default JSON Schema validator (ajv): 2020-12, 2019-09 and draft-07, no network `$ref`. */
export const ajvValidator: JsonSchemaValidator = { compile: compileJsonSchema };
