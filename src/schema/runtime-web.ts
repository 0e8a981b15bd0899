/**
 * `#schema-runtime` on Cloudflare Workers, in browsers and by default: no synchronous `require` exists
 * there, so @cfworker/json-schema (the validator that needs no code generation) is imported with the
 * library, ready for the first plain JSON Schema.
 */
import * as cfworker from '@cfworker/json-schema';
import type { SchemaRuntime } from './runtime-types.ts';

export const provided: SchemaRuntime = { cfworker };
