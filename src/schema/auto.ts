/**
 * Choosing the JSON Schema validator for the runtime: ajv (fast, but it compiles schemas to code with
 * `new Function`) where code generation is allowed, @cfworker/json-schema where it is not.
 */
import { cfworkerValidator } from './cfworker.ts';
import { ajvAvailable, ajvValidator } from './json-schema.ts';
import type { JsonSchemaValidator } from './types.ts';

/** Whether code can be generated from strings here and now (Workers allow it at start-up only). */
export function canGenerateCode(): boolean {
  try {
    return new Function('return true')() === true;
  } catch {
    return false;
  }
}

/** Cloudflare Workers (workerd) say so in `navigator.userAgent`. */
function onWorkers(): boolean {
  return typeof navigator !== 'undefined' && navigator.userAgent === 'Cloudflare-Workers';
}

/**
 * The validator used when none is given: @cfworker/json-schema on Cloudflare Workers, wherever
 * `new Function` is refused (a strict Content Security Policy, `--disallow-code-generation-from-strings`)
 * and where ajv cannot be loaded synchronously (browsers, Node before 20.16), ajv everywhere else.
 * Decided at each compile (once per schema), never at import: ajv is loaded at the first schema it
 * compiles.
 */
export const autoValidator: JsonSchemaValidator = {
  compile: (schema, label) =>
    (onWorkers() || !canGenerateCode() || !ajvAvailable() ? cfworkerValidator : ajvValidator).compile(
      schema,
      label,
    ),
};
