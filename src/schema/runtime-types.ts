/** What `#schema-runtime` gives the schema layer (see runtime.ts); the same shape on every runtime. */
import type * as Cfworker from '@cfworker/json-schema';

/** A synchronous CommonJS `require`. */
export type Require = (id: string) => unknown;

/** The library @cfworker/json-schema, as its module namespace. */
export type CfworkerLibrary = typeof Cfworker;

/** Either a way to load packages when first needed, or @cfworker/json-schema already loaded. */
export interface SchemaRuntime {
  require?: Require;
  cfworker?: CfworkerLibrary;
}
