/** The types shared by the schema layer: inputs, compiled schemas, validation results, errors. */
import type { StandardSchemaV1 } from '@standard-schema/spec';

/** A JSON Schema object, as published in `tools/list`, elicitation requests and the like. */
export type JsonSchema = Record<string, unknown>;

/** One problem found in a value: where (`a.b[0]`, empty for the root) and what. */
export interface ValidationIssue {
  path: string;
  message: string;
}

/** The outcome of validating a value: the (possibly transformed) value, or the issues found. */
export type ValidationResult =
  | { ok: true; value: unknown }
  | { ok: false; issues: ValidationIssue[]; message: string };

/** A validation function; it returns a promise only when the underlying validator is asynchronous. */
export type ValidateFn = (value: unknown) => ValidationResult | Promise<ValidationResult>;

/** A Standard Schema paired with the JSON Schema to publish for it, for libraries that cannot convert. */
export interface StandardWithJsonSchema {
  standard: StandardSchemaV1;
  jsonSchema: JsonSchema;
}

/** What `compileSchema` accepts: a Standard Schema, a Standard Schema with its JSON Schema, or a JSON Schema. */
export type SchemaInput = StandardSchemaV1 | StandardWithJsonSchema | JsonSchema;

/** A schema ready for use: the JSON Schema to publish and a validator, both built once. */
export interface CompiledSchema {
  /** The JSON Schema to publish (a raw JSON Schema input is returned exactly as given). */
  readonly jsonSchema: JsonSchema;
  /** Validates a value; synchronous unless the underlying validator is asynchronous. */
  validate(value: unknown): ValidationResult | Promise<ValidationResult>;
}

/** Options for `compileSchema`. */
export interface CompileOptions {
  /** A name for the schema, used in error messages (for example `tool "add" input`). */
  name?: string;
  /** Require a root of `type: "object"`, as MCP does for tool input schemas. */
  requireObject?: boolean;
}

/** A JSON Schema validator engine: compiles a schema once into a validation function. */
export interface JsonSchemaValidator {
  /** Compiles `schema`; throws a SchemaError naming `label` if the schema cannot be used. */
  compile(schema: JsonSchema, label: string): ValidateFn;
}

/** A schema could not be converted or compiled; the message names the schema and says what to do. */
export class SchemaError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SchemaError';
  }
}
