/** compileSchema: any accepted schema input → a cached CompiledSchema (JSON Schema + validator). */
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { autoValidator } from './auto.ts';
import { isStandardSchema, standardToJsonSchema, standardValidator } from './standard.ts';
import type {
  CompiledSchema,
  CompileOptions,
  JsonSchema,
  JsonSchemaValidator,
  SchemaInput,
  StandardWithJsonSchema,
} from './types.ts';
import { SchemaError } from './types.ts';

/** Turns a schema input into a CompiledSchema, compiling each input object only once. */
export type SchemaCompiler = (input: SchemaInput, options?: CompileOptions) => CompiledSchema;

function isJsonObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether a JSON Schema has a root of `type: "object"`, as MCP requires of tool input schemas. */
export function isObjectSchema(jsonSchema: unknown): boolean {
  return isJsonObject(jsonSchema) && jsonSchema.type === 'object';
}

function isPair(value: unknown): value is StandardWithJsonSchema {
  return (
    isJsonObject(value) &&
    !isStandardSchema(value) &&
    'standard' in value &&
    'jsonSchema' in value &&
    isStandardSchema(value.standard)
  );
}

function labelOf(name: string | undefined, input: unknown): string {
  if (name !== undefined) return `Schema "${name}"`;
  const json = isPair(input) ? input.jsonSchema : input;
  if (isJsonObject(json)) {
    const title = json.title ?? json.$id;
    if (typeof title === 'string') return `Schema "${title}"`;
  }
  return 'Unnamed schema';
}

function build(input: SchemaInput, label: string, validator: JsonSchemaValidator): CompiledSchema {
  if (isStandardSchema(input)) {
    const jsonSchema = standardToJsonSchema(input, label);
    return Object.freeze({ jsonSchema, validate: standardValidator(input) });
  }
  if (isPair(input)) {
    if (!isJsonObject(input.jsonSchema)) {
      throw new SchemaError(`${label}: jsonSchema must be a JSON Schema object.`);
    }
    return Object.freeze({ jsonSchema: input.jsonSchema, validate: standardValidator(input.standard) });
  }
  if (!isJsonObject(input)) {
    const got = input === null ? 'null' : Array.isArray(input) ? 'an array' : typeof input;
    throw new SchemaError(
      `${label} must be a Standard Schema (zod, valibot, arktype, ...) or a JSON Schema object, got ${got}.`,
    );
  }
  return Object.freeze({ jsonSchema: input, validate: validator.compile(input, label) });
}

/**
 * Creates a compiler with its own cache, validating raw JSON Schema with `validator` (by default ajv, or
 * @cfworker/json-schema where code generation is refused: see `autoValidator`).
 */
export function createSchemaCompiler(validator: JsonSchemaValidator = autoValidator): SchemaCompiler {
  const cache = new WeakMap<object, CompiledSchema>();
  const pairs = new WeakMap<StandardSchemaV1, WeakMap<object, CompiledSchema>>();

  const lookup = (input: SchemaInput): CompiledSchema | undefined =>
    isPair(input) ? pairs.get(input.standard)?.get(input.jsonSchema) : cache.get(input);

  const store = (input: SchemaInput, compiled: CompiledSchema): void => {
    if (!isPair(input)) {
      cache.set(input, compiled);
      return;
    }
    let byJson = pairs.get(input.standard);
    if (byJson === undefined) {
      byJson = new WeakMap();
      pairs.set(input.standard, byJson);
    }
    byJson.set(input.jsonSchema, compiled);
  };

  return (input, options = {}) => {
    const usable = (typeof input === 'object' || typeof input === 'function') && input !== null;
    let compiled = usable ? lookup(input) : undefined;
    if (compiled === undefined) {
      compiled = build(input, labelOf(options.name, input), validator);
      store(input, compiled);
    }
    if (options.requireObject && !isObjectSchema(compiled.jsonSchema)) {
      const type = JSON.stringify(compiled.jsonSchema.type) ?? 'no type';
      throw new SchemaError(
        `${labelOf(options.name, input)} must have a root of type "object" (MCP requires it for tool input ` +
          `schemas), but its root type is ${type}. Wrap the value in an object schema.`,
      );
    }
    return compiled;
  };
}

/** Compiles a schema input once (cached per input object) into its JSON Schema and validator. */
export const compileSchema: SchemaCompiler = createSchemaCompiler();
