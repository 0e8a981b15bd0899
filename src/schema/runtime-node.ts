/**
 * `#schema-runtime` on Node, Bun and Deno (the `node` condition): a synchronous `require`, with which
 * ajv and @cfworker/json-schema are loaded at the first plain JSON Schema rather than with the
 * library. `node:module` is already in memory there, so this costs nothing at start-up.
 */
import { createRequire } from 'node:module';
import type { SchemaRuntime } from './runtime-types.ts';

export const provided: SchemaRuntime = { require: createRequire(import.meta.url) };
