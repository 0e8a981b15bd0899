/** Standard Schema support: recognising one, deriving its JSON Schema, validating through it. */
import type { StandardJSONSchemaV1, StandardSchemaV1 } from '@standard-schema/spec';
import { failure, formatPath } from './issues.ts';
import type { JsonSchema, ValidateFn, ValidationResult } from './types.ts';
import { SchemaError } from './types.ts';

type Props = StandardSchemaV1.Props & { readonly jsonSchema?: Partial<StandardJSONSchemaV1.Converter> };

/** Whether a value implements Standard Schema v1 (zod 4, valibot, arktype, ...). */
export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  const props = (value as { '~standard'?: unknown })['~standard'];
  return (
    typeof props === 'object' &&
    props !== null &&
    typeof (props as { validate?: unknown }).validate === 'function'
  );
}

function hintFor(vendor: string): string {
  if (vendor === 'valibot') return 'Wrap it with toStandardJsonSchema() from @valibot/to-json-schema, or ';
  if (vendor === 'zod') return 'Use zod 4 classic (import from "zod"), or ';
  return 'Either upgrade the library, or ';
}

/** The converter this schema offers, if any: Standard JSON Schema first, then known vendor methods. */
function converterOf(schema: StandardSchemaV1): (() => unknown) | undefined {
  const props = schema['~standard'] as Props;
  const standardJson = props.jsonSchema;
  if (typeof standardJson?.input === 'function') {
    return () => standardJson.input?.({ target: 'draft-2020-12' });
  }
  const methods = schema as { toJSONSchema?: (options: object) => unknown; toJsonSchema?: () => unknown };
  if (props.vendor === 'zod' && typeof methods.toJSONSchema === 'function') {
    return () => methods.toJSONSchema?.({ target: 'draft-2020-12', io: 'input' });
  }
  if (props.vendor === 'arktype' && typeof methods.toJsonSchema === 'function') {
    return () => methods.toJsonSchema?.();
  }
  return undefined;
}

/** Derives the input JSON Schema (2020-12) of a Standard Schema; throws a SchemaError naming `label`. */
export function standardToJsonSchema(schema: StandardSchemaV1, label: string): JsonSchema {
  const vendor = schema['~standard'].vendor;
  const what = `${label} (${vendor})`;
  const advice = 'pass { standard: schema, jsonSchema: {...} } to give its JSON Schema explicitly.';
  const convert = converterOf(schema);
  if (convert === undefined) {
    throw new SchemaError(
      `${what} cannot be converted to JSON Schema: the library does not implement Standard JSON Schema. ${hintFor(vendor)}${advice}`,
    );
  }
  let json: unknown;
  try {
    json = convert();
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).replace(/\.$/, '');
    throw new SchemaError(
      `${what} could not be converted to JSON Schema: ${reason}. Simplify the schema, or ${advice}`,
      {
        cause: error,
      },
    );
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new SchemaError(
      `${what} converted to ${JSON.stringify(json)}, not a JSON Schema object; ${advice}`,
    );
  }
  return json as JsonSchema;
}

function toResult(result: StandardSchemaV1.Result<unknown>): ValidationResult {
  if (!result.issues) return { ok: true, value: result.value };
  return failure(
    result.issues.map((issue) => ({
      path: formatPath(
        (issue.path ?? []).map((segment) => (typeof segment === 'object' ? segment.key : segment)),
      ),
      message: issue.message,
    })),
  );
}

/** A validation function over `~standard.validate`; it returns a promise only when the library does. */
export function standardValidator(schema: StandardSchemaV1): ValidateFn {
  const props = schema['~standard'];
  return (value) => {
    const result = props.validate(value);
    return result instanceof Promise ? result.then(toResult) : toResult(result);
  };
}
