/** The JSON Schema dialects both validators accept, and how a schema's `$schema` picks one. */
import type { JsonSchema } from './types.ts';
import { SchemaError } from './types.ts';

/** A supported dialect. */
export interface Dialect {
  /** '2020-12', '2019-09' or 'draft-07'. */
  readonly name: string;
  /** The `$schema` URI without scheme and trailing `#`, lower case. */
  readonly key: string;
  /** The `$schema` URI the dialect's meta-schema declares. */
  readonly uri: string;
}

/** The supported dialects, the default (no `$schema`) first. */
export const DIALECTS: readonly Dialect[] = [
  {
    name: '2020-12',
    key: 'json-schema.org/draft/2020-12/schema',
    uri: 'https://json-schema.org/draft/2020-12/schema',
  },
  {
    name: '2019-09',
    key: 'json-schema.org/draft/2019-09/schema',
    uri: 'https://json-schema.org/draft/2019-09/schema',
  },
  {
    name: 'draft-07',
    key: 'json-schema.org/draft-07/schema',
    uri: 'http://json-schema.org/draft-07/schema#',
  },
];

/** The JSON Schema dialects the validators accept (the first is used when `$schema` is absent). */
export const SUPPORTED_DIALECTS: readonly string[] = DIALECTS.map((d) => d.name);

/** The key a `$schema` URI is looked up by: scheme, trailing '#' or '/' and case do not matter. */
const dialectKey = (uri: string): string =>
  uri
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/^\/\//, '')
    .replace(/#$/, '')
    .replace(/\/$/, '');

/** The dialect a schema declares with `$schema` (2020-12 without one); a SchemaError naming `label` otherwise. */
export function dialectOf(schema: JsonSchema, label: string): Dialect {
  const declared = schema.$schema;
  if (declared === undefined) return DIALECTS[0];
  const supported = `supported: ${DIALECTS.map((d) => `${d.name} ("${d.uri}")`).join(', ')}; 2020-12 when $schema is absent`;
  if (typeof declared !== 'string') {
    throw new SchemaError(
      `${label} has a $schema of ${JSON.stringify(declared) ?? typeof declared}, not a URI string. ` +
        `Set $schema to one of the supported dialects or leave it out (${supported}).`,
    );
  }
  const key = dialectKey(declared);
  const dialect = DIALECTS.find((d) => d.key === key);
  if (dialect) return dialect;
  const older = /^json-schema\.org\/draft-0[3-6]\/schema$/.test(key)
    ? ' Draft-06 and older are not supported; most such schemas are valid draft-07: try "http://json-schema.org/draft-07/schema#".'
    : '';
  throw new SchemaError(
    `${label} declares an unsupported JSON Schema dialect ${JSON.stringify(declared)} (${supported}).${older}`,
  );
}
