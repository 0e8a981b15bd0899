/**
 * What the runtime offers the schema layer, chosen by export condition through package.json's
 * `imports` (`#schema-runtime`): on Node, Bun and Deno a synchronous `require`, so that ajv and
 * @cfworker/json-schema load at the first plain JSON Schema and a server whose schemas are all zod
 * or the like loads neither; on Workers, in browsers and elsewhere @cfworker/json-schema itself,
 * imported up front since nothing could load it later. (The build points the dist files at the
 * built modules: scripts/build.mjs.)
 */
import { provided } from '#schema-runtime';
import type { CfworkerLibrary, Require } from './runtime-types.ts';

/** A synchronous `require` for the schema layer, where the runtime has one. */
export function syncRequire(): Require | undefined {
  return provided.require;
}

let cfworker: CfworkerLibrary | Error | undefined;

/** @cfworker/json-schema: imported with the library, or loaded now through `require`; or why not. */
export function cfworkerLibrary(): CfworkerLibrary | Error {
  if (cfworker !== undefined) return cfworker;
  try {
    if (provided.cfworker) cfworker = provided.cfworker;
    else if (provided.require) cfworker = provided.require('@cfworker/json-schema') as CfworkerLibrary;
    else throw new Error('this runtime has no synchronous require');
  } catch (error) {
    cfworker = error instanceof Error ? error : new Error(String(error));
  }
  return cfworker;
}
