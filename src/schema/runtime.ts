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

/** @cfworker/json-schema, where the runtime imported it up front. */
export const preloadedCfworker: CfworkerLibrary | undefined = provided.cfworker;

/** The runtime's synchronous `require`; throws where there is none. */
export function requireHere(): Require {
  if (provided.require === undefined) throw new Error('this runtime has no synchronous require');
  return provided.require;
}

/**
 * `load` run on the first call only: the returned function gives what it returned, or the error it
 * threw (for the caller to turn into a message of its own), every time after.
 */
export function loadOnce<T extends object>(load: () => T): () => T | Error {
  let result: T | Error | undefined;
  return () => {
    if (result === undefined) {
      try {
        result = load();
      } catch (error) {
        result = error instanceof Error ? error : new Error(String(error));
      }
    }
    return result;
  };
}
