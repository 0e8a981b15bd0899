/** Fuzz properties of the JSON Schema layer: compiling schema-like objects, validating any value. */
import fc from 'fast-check';
import { cfworkerValidator } from '../../src/schema/cfworker.ts';
import {
  ajvValidator,
  compileSchema,
  createSchemaCompiler,
  SchemaError,
  type ValidationResult,
} from '../../src/schema/index.ts';
import { jsonValueArb } from './arbitraries.ts';
import { refTarget } from './ref-target.ts';
import { defineProperty, type FuzzGroup } from './runner.ts';

/** Stands for the counting server's `host:port` in generated schemas. */
const HOST = '%HOST%';

const refArb = fc.oneof(
  fc.constantFrom('#', '#/properties/a', '#/$defs/x', '#/definitions/x', '#/items', '#a', '#/nope', ''),
  fc.constantFrom(
    `http://${HOST}/schema.json`,
    `https://${HOST}/schema.json#/x`,
    `http://${HOST}/schema.json#a`,
    `//${HOST}/x.json`,
    'other.json',
    'other.json#/a',
    'urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66',
    'http://json-schema.org/draft-07/schema#',
    'https://json-schema.org/draft/2020-12/schema',
  ),
  fc.string({ maxLength: 10 }),
);

const idArb = fc.oneof(
  fc.constantFrom(
    `http://${HOST}/root.json`,
    `https://${HOST}/dir/`,
    'urn:uuid:1e8bc430-9c3a-11d9-9669-0800200c9a66',
  ),
  fc.constantFrom('#x', 'relative.json', 'http://example.invalid/s'),
  fc.string({ maxLength: 8 }),
);

// Dialects in the spellings their meta-schemas declare, and others a user may write.
const dialectArb = fc.oneof(
  fc.constantFrom(
    'https://json-schema.org/draft/2020-12/schema',
    'https://json-schema.org/draft/2020-12/schema#',
    'https://json-schema.org/draft/2019-09/schema',
    'http://json-schema.org/draft-07/schema#',
    'http://json-schema.org/draft-07/schema',
    'http://json-schema.org/draft-04/schema#',
    `http://${HOST}/meta.json`,
    '',
  ),
  fc.constantFrom(
    'http://json-schema.org/draft/2020-12/schema',
    'https://json-schema.org/draft-07/schema#',
    'HTTP://JSON-SCHEMA.ORG/DRAFT/2019-09/SCHEMA',
    'json-schema.org/draft-07/schema',
    'http://json-schema.org/schema#',
    ' https://json-schema.org/draft/2020-12/schema ',
  ),
  jsonValueArb,
);

const typeArb = fc.oneof(
  fc.constantFrom('object', 'string', 'integer', 'number', 'boolean', 'array', 'null'),
  fc.array(fc.constantFrom('object', 'string', 'integer', 'null'), { maxLength: 3 }),
  jsonValueArb,
);

const patternArb = fc.oneof(
  fc.constantFrom('^a', 'b$', '^[a-z]+$', '\\d{2,3}', '(', '[', '\\p{L}', '(?<n>x)', '*', 'a{2,1}'),
  fc.string({ maxLength: 5 }),
);

const formatArb = fc.oneof(
  fc.constantFrom('date', 'time', 'date-time', 'email', 'uri', 'uuid', 'regex', 'ipv4', 'x-custom'),
  jsonValueArb,
);

/** Schema-like values: objects of a few keywords each, with right or wrong member types, and some of anything. */
export const schemaArb: fc.Arbitrary<unknown> = fc.letrec<{ schema: unknown }>((tie) => {
  const sub = tie('schema');
  const subs = fc.array(sub, { maxLength: 2 });
  const keyword: fc.Arbitrary<[string, unknown]> = fc.oneof(
    fc.tuple(fc.constant('$schema'), dialectArb),
    fc.tuple(fc.constant('$id'), idArb),
    fc.tuple(fc.constant('$ref'), refArb),
    fc.tuple(fc.constant('$anchor'), fc.constantFrom('a', 'x', '1bad')),
    fc.tuple(fc.constant('$dynamicRef'), fc.constantFrom('#meta', '#a', `http://${HOST}/d#meta`)),
    fc.tuple(fc.constant('$dynamicAnchor'), fc.constantFrom('meta', 'a')),
    fc.tuple(fc.constant('$recursiveRef'), fc.constantFrom('#', `http://${HOST}/r`)),
    fc.tuple(fc.constant('$recursiveAnchor'), fc.boolean()),
    fc.tuple(fc.constant('type'), typeArb),
    fc.tuple(
      fc.constant('properties'),
      fc.dictionary(fc.constantFrom('a', 'b', 'x', '__proto__', ''), sub, { maxKeys: 2 }),
    ),
    fc.tuple(fc.constant('required'), fc.oneof(fc.array(fc.constantFrom('a', 'b', 'c')), jsonValueArb)),
    fc.tuple(fc.constantFrom('additionalProperties', 'not', 'if', 'then', 'else', 'contains'), sub),
    fc.tuple(fc.constant('items'), fc.oneof(sub, subs)),
    fc.tuple(fc.constantFrom('prefixItems', 'anyOf', 'oneOf', 'allOf'), subs),
    fc.tuple(
      fc.constantFrom('$defs', 'definitions'),
      fc.dictionary(fc.constantFrom('x', 'a'), sub, { maxKeys: 2 }),
    ),
    fc.tuple(
      fc.constantFrom('enum', 'const', 'default'),
      fc.oneof(fc.array(jsonValueArb, { maxLength: 3 }), jsonValueArb),
    ),
    fc.tuple(
      fc.constantFrom('minimum', 'maximum', 'multipleOf'),
      fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -1, 0.1)),
    ),
    fc.tuple(fc.constantFrom('minLength', 'maxItems', 'minProperties'), fc.oneof(fc.nat(5), jsonValueArb)),
    fc.tuple(fc.constant('pattern'), patternArb),
    fc.tuple(fc.constant('format'), formatArb),
    fc.tuple(fc.constant('x-mcp-header'), fc.string({ maxLength: 5 })),
  );
  return {
    schema: fc.oneof(
      { maxDepth: 3, depthSize: 'small' },
      { weight: 1, arbitrary: fc.boolean() },
      { weight: 1, arbitrary: jsonValueArb },
      {
        weight: 6,
        arbitrary: fc.array(keyword, { maxLength: 4 }).map((entries) => {
          const out: Record<string, unknown> = {};
          for (const [k, v] of entries) {
            Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
          }
          return out;
        }),
      },
    ),
  };
}).schema;

/** A reference to somewhere in a generated recursive schema: its root, a definition, an anchor. */
const localRefArb = fc.constantFrom(
  '#',
  '#/$defs/a',
  '#/$defs/b',
  '#/$defs/a/properties/x',
  '#n',
  '#/properties/x',
);

/**
 * Schemas that refer to themselves: under properties, items or additionalProperties (recursion that descends
 * into the value), or in place through allOf, anyOf, not, if/then or a bare reference (loops that never end).
 */
export const recursiveSchemaArb: fc.Arbitrary<Record<string, unknown>> = fc
  .letrec<{ node: unknown }>((tie) => {
    const ref = fc.oneof(
      localRefArb.map((r) => ({ $ref: r })),
      fc.constantFrom('#n', '#').map((r) => ({ $dynamicRef: r })),
      fc.constant({ $recursiveRef: '#' }),
    );
    const node = fc.oneof(
      { maxDepth: 3, depthSize: 'small' },
      ref,
      fc.constantFrom({ type: 'string' }, { type: 'object' }, true, false, {}),
      fc.record({ type: fc.constant('object'), properties: fc.record({ x: tie('node') }) }),
      fc.record({ type: fc.constant('array'), items: tie('node') }),
      fc.record({ additionalProperties: tie('node') }),
      fc.record({ allOf: fc.array(tie('node'), { minLength: 1, maxLength: 2 }) }),
      fc.record({ anyOf: fc.array(tie('node'), { minLength: 1, maxLength: 2 }) }),
      fc.record({ not: tie('node') }),
      // biome-ignore lint/suspicious/noThenProperty: 'then' is a JSON Schema keyword here.
      fc.record({ if: tie('node'), then: tie('node') }),
      fc.record({ $dynamicAnchor: fc.constant('n'), properties: fc.record({ x: tie('node') }) }),
      fc.record({ $anchor: fc.constant('n'), items: tie('node') }),
    );
    return { node };
  })
  .node.chain((root) =>
    fc.record(
      {
        $schema: fc.constantFrom(
          'https://json-schema.org/draft/2020-12/schema',
          'https://json-schema.org/draft/2019-09/schema',
          'http://json-schema.org/draft-07/schema',
        ),
        $id: fc.constantFrom('https://example.invalid/tree', 'tree.json'),
        $dynamicAnchor: fc.constant('n'),
        $recursiveAnchor: fc.constant(true),
        $defs: fc.record({ a: fc.constant(root), b: fc.constant({ $ref: '#/$defs/a' }) }),
        properties: fc.record({ x: fc.constant(root) }),
        allOf: fc.constant([root]),
      },
      { requiredKeys: [] },
    ),
  );

/** Values shaped like the trees recursive schemas describe. */
const treeArb: fc.Arbitrary<unknown> = fc.letrec<{ tree: unknown }>((tie) => ({
  tree: fc.oneof(
    { maxDepth: 4 },
    jsonValueArb,
    fc.record({ x: tie('tree') }, { requiredKeys: [] }),
    fc.array(tie('tree'), { maxLength: 2 }),
  ),
})).tree;

const valueArb: fc.Arbitrary<unknown> = fc.oneof(
  jsonValueArb,
  fc.anything({ maxDepth: 3 }),
  fc.constantFrom(
    '2025-02-30',
    '13:45:00Z',
    'a@b.co',
    'http://x',
    '6e8bc430-9c3a-11d9-9669-0800200c9a66',
    1e308,
    -0,
  ),
);

/** Puts the counting server's address where generated schemas say HOST. */
function withHost(schema: unknown, host: string): unknown {
  const text = JSON.stringify(schema);
  return text === undefined ? schema : JSON.parse(text.replaceAll(HOST, host));
}

function checkResult(r: ValidationResult): void {
  if (r.ok === true) return;
  if (r.ok !== false || !Array.isArray(r.issues) || r.issues.length === 0 || typeof r.message !== 'string') {
    throw new Error(`malformed validation result ${JSON.stringify(r)}`);
  }
  for (const i of r.issues) {
    if (typeof i.path !== 'string' || typeof i.message !== 'string')
      throw new Error(`bad issue ${JSON.stringify(i)}`);
  }
}

/** Both validators, each with a compiler of its own. */
const COMPILERS = [createSchemaCompiler(ajvValidator), createSchemaCompiler(cfworkerValidator)];

/**
 * Compiles with each validator (a SchemaError is fine), validates every value, and checks that no `$ref`
 * reached the network.
 */
async function compileAndValidate(schema: unknown, values: readonly unknown[]): Promise<void> {
  const target = await refTarget();
  const before = target.connections();
  const input = withHost(schema, target.host);
  for (const compile of COMPILERS) {
    let compiled: ReturnType<typeof compileSchema> | undefined;
    try {
      compiled = compile(input as never, { name: 'fuzz' });
    } catch (error) {
      if (!(error instanceof SchemaError)) throw new Error(`compile threw ${String(error)}, not SchemaError`);
    }
    if (compiled) {
      for (const v of values) checkResult(await compiled.validate(v));
    }
  }
  await new Promise((resolve) => setImmediate(resolve));
  if (target.connections() !== before) throw new Error(`${JSON.stringify(input)} made a network request`);
}

/** The schema properties. */
export const schemaFuzz: FuzzGroup = {
  parser: 'JSON Schema (compileSchema)',
  properties: [
    defineProperty(
      'any schema-like value compiles or throws SchemaError; validation never throws; $ref never fetches',
      () =>
        fc.asyncProperty(schemaArb, fc.array(valueArb, { maxLength: 4 }), (schema, values) =>
          compileAndValidate(schema, values),
        ),
      0.5,
    ),
    defineProperty(
      'schemas made of remote references compile or fail without a network request',
      () =>
        fc.asyncProperty(
          refArb,
          fc.option(idArb, { nil: undefined }),
          fc.option(dialectArb, { nil: undefined }),
          valueArb,
          (ref, id, dialect, value) => {
            const schema: Record<string, unknown> = { type: 'object', properties: { a: { $ref: ref } } };
            if (id !== undefined) schema.$id = id;
            if (dialect !== undefined) schema.$schema = dialect;
            return compileAndValidate(schema, [value, { a: value }]);
          },
        ),
      0.5,
    ),
    defineProperty(
      'recursive schemas compile or throw SchemaError, and their validators always answer',
      () =>
        fc.asyncProperty(recursiveSchemaArb, fc.array(treeArb, { maxLength: 4 }), (schema, values) =>
          compileAndValidate(schema, values),
        ),
      0.5,
    ),
    defineProperty(
      'asynchronous schemas validate to a result and never reject',
      () =>
        fc.asyncProperty(
          fc.constantFrom<Record<string, unknown>>(
            { type: 'string', format: 'date' },
            { type: 'object', properties: { a: { type: 'integer' } }, required: ['a'] },
            { anyOf: [{ type: 'null' }, { type: 'array', items: { type: 'number' } }] },
            { enum: [1, 'a', null] },
          ),
          fc.array(valueArb, { maxLength: 4 }),
          (schema, values) => compileAndValidate({ $async: true, ...schema }, values),
        ),
      0.3,
    ),
    defineProperty('compileSchema rejects everything that is not a schema with SchemaError', () =>
      fc.asyncProperty(
        fc.oneof(
          fc.anything({ maxDepth: 1 }),
          fc.constantFrom(null, 1, 'x', [], () => 1),
        ),
        async (v) => {
          if (typeof v === 'object' && v !== null && !Array.isArray(v)) return;
          try {
            compileSchema(v as never);
          } catch (error) {
            if (error instanceof SchemaError) return;
            throw new Error(`threw ${String(error)}, not SchemaError`);
          }
          throw new Error(`accepted ${String(v)}`);
        },
      ),
    ),
  ],
};
