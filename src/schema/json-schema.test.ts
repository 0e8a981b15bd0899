import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cfworkerValidator } from './cfworker.ts';
import { compileSchema as compileWithDefault, createSchemaCompiler } from './compile.ts';
import { ajvValidator } from './json-schema.ts';
import type { JsonSchemaValidator, ValidationResult } from './types.ts';

describe('ajv only', () => {
  it('supports $async schemas by returning a promise', async () => {
    const result = compileWithDefault({ $async: true, type: 'object', required: ['a'] }).validate({});
    expect(result).toBeInstanceOf(Promise);
    expect(await result).toMatchObject({ ok: false, message: 'a: is required' });
  });
});

const VALIDATORS: Array<[string, JsonSchemaValidator]> = [
  ['ajv', ajvValidator],
  ['@cfworker/json-schema', cfworkerValidator],
];

describe.each(VALIDATORS)('%s', (_name, validator) => {
  const compileSchema = createSchemaCompiler(validator);

  function check(schema: Record<string, unknown>, value: unknown): ValidationResult {
    const result = compileSchema(schema).validate(value);
    if (result instanceof Promise) throw new Error('expected a synchronous result');
    return result;
  }

  const conformanceFixture = () => ({
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    $defs: {
      address: { type: 'object', properties: { street: { type: 'string' }, city: { type: 'string' } } },
    },
    properties: { name: { type: 'string' }, address: { $ref: '#/$defs/address' } },
    additionalProperties: false,
  });

  describe('raw JSON Schema 2020-12', () => {
    it('publishes the conformance fixture exactly as written', () => {
      const schema = conformanceFixture();
      const compiled = compileSchema(schema);
      expect(compiled.jsonSchema).toEqual(conformanceFixture());
      expect(JSON.stringify(compiled.jsonSchema)).toBe(JSON.stringify(conformanceFixture()));
      expect(Object.keys(compiled.jsonSchema)).toEqual([
        '$schema',
        'type',
        '$defs',
        'properties',
        'additionalProperties',
      ]);
    });

    it('validates the conformance fixture through $defs/$ref', () => {
      const schema = conformanceFixture();
      expect(check(schema, { name: 'Ada', address: { street: '1 Main', city: 'Paris' } })).toEqual({
        ok: true,
        value: { name: 'Ada', address: { street: '1 Main', city: 'Paris' } },
      });
      const bad = check(schema, { name: 'Ada', address: { city: 42 } });
      expect(bad).toMatchObject({
        ok: false,
        issues: [{ path: 'address.city', message: 'expected string, got number' }],
        message: 'address.city: expected string, got number',
      });
      expect(check(schema, { name: 'Ada', extra: 1 })).toMatchObject({
        ok: false,
        message: 'extra: is not an allowed property',
      });
    });

    it('validating does not change the schema', () => {
      const schema = conformanceFixture();
      check(schema, { name: 1 });
      expect(schema).toEqual(conformanceFixture());
    });

    it('reports every issue in one sentence with readable paths', () => {
      const schema = {
        type: 'object',
        properties: {
          a: { type: 'number' },
          tags: { type: 'array', items: { type: 'string' } },
          mode: { enum: ['fast', 'slow'] },
          'odd key': { type: ['string', 'null'] },
        },
        required: ['a', 'b'],
      };
      const result = check(schema, { a: 'x', tags: ['ok', 3], mode: 'medium', 'odd key': 1 });
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.issues).toEqual([
        { path: 'b', message: 'is required' },
        { path: 'a', message: 'expected number, got string' },
        { path: 'tags[1]', message: 'expected string, got number' },
        { path: 'mode', message: 'must be one of "fast", "slow"' },
        { path: '["odd key"]', message: 'expected string or null, got number' },
      ]);
      expect(result.message).toBe(
        'b: is required; a: expected number, got string; tags[1]: expected string, got number; ' +
          'mode: must be one of "fast", "slow"; ["odd key"]: expected string or null, got number',
      );
    });

    it('names the root type problem without a path', () => {
      expect(check({ type: 'object' }, 'text')).toMatchObject({
        ok: false,
        message: 'expected object, got string',
      });
    });

    it('uses 2020-12 rules when $schema is absent (prefixItems, $ref with siblings)', () => {
      const tuple = { type: 'array', prefixItems: [{ type: 'string' }, { type: 'number' }] };
      expect(check(tuple, ['a', 1]).ok).toBe(true);
      expect(check(tuple, [1, 'a']).ok).toBe(false);
      const withSibling = { $defs: { s: { type: 'string' } }, $ref: '#/$defs/s', maxLength: 2 };
      expect(check(withSibling, 'abc').ok).toBe(false);
    });

    it('accepts unknown keywords such as x-mcp-header and legacy enumNames', () => {
      const schema = {
        type: 'object',
        properties: {
          region: { type: 'string', 'x-mcp-header': 'Region' },
          color: { type: 'string', enum: ['r', 'g'], enumNames: ['Red', 'Green'] },
        },
      };
      expect(check(schema, { region: 'eu', color: 'r' }).ok).toBe(true);
    });

    it('keeps schemas that share an $id apart', () => {
      const one = compileSchema({ $id: 'https://example.com/shared', type: 'string' });
      const two = compileSchema({ $id: 'https://example.com/shared', type: 'number' });
      expect(one.validate('x')).toMatchObject({ ok: true });
      expect(two.validate('x')).toMatchObject({ ok: false });
      expect(two.validate(1)).toMatchObject({ ok: true });
    });
  });

  describe('other dialects', () => {
    it('uses draft-07 rules when $schema says draft-07', () => {
      const tuple = {
        $schema: 'http://json-schema.org/draft-07/schema#',
        type: 'array',
        items: [{ type: 'string' }, { type: 'number' }],
      };
      expect(check(tuple, ['a', 1]).ok).toBe(true);
      expect(check(tuple, [1, 'a'])).toMatchObject({
        ok: false,
        message: '[0]: expected string, got number; [1]: expected number, got string',
      });
      const defs = {
        $schema: 'http://json-schema.org/draft-07/schema#',
        definitions: { s: { type: 'string' } },
        properties: { s: { $ref: '#/definitions/s' } },
      };
      expect(check(defs, { s: 'x' }).ok).toBe(true);
      expect(check(defs, { s: 5 })).toMatchObject({ ok: false, message: 's: expected string, got number' });
    });

    it('accepts the 2020-12 $schema URI with a trailing #, and 2019-09', () => {
      const a = { $schema: 'https://json-schema.org/draft/2020-12/schema#', type: 'string' };
      expect(check(a, 1).ok).toBe(false);
      const b = { $schema: 'https://json-schema.org/draft/2019-09/schema', type: 'string' };
      expect(check(b, 'x').ok).toBe(true);
    });

    it('rejects an unsupported dialect with a clear error', () => {
      expect(() =>
        compileSchema(
          { $schema: 'http://json-schema.org/draft-04/schema#', type: 'object' },
          { name: 'old tool' },
        ),
      ).toThrow(
        /Schema "old tool" declares an unsupported JSON Schema dialect .*draft-04.*supported: 2020-12/,
      );
    });

    it('rejects items as an array under 2020-12 with the schema name', () => {
      expect(() => compileSchema({ type: 'array', items: [{ type: 'string' }] }, { name: 'tuple' })).toThrow(
        /Schema "tuple" is not a valid JSON Schema \(2020-12\)/,
      );
    });
  });

  describe('bad schemas', () => {
    it('names the schema when a keyword value is invalid', () => {
      expect(() => compileSchema({ type: 'strin' }, { name: 'tool "x" input' })).toThrow(
        /Schema "tool "x" input" is not a valid JSON Schema/,
      );
    });

    it('falls back to the title, then says the schema is unnamed', () => {
      expect(() => compileSchema({ title: 'Weather', minLength: -1 })).toThrow(/Schema "Weather"/);
      expect(() => compileSchema({ minLength: -1 })).toThrow(/^Unnamed schema is not a valid JSON Schema/);
    });

    it('fails at compile time on an unresolvable local $ref', () => {
      expect(() => compileSchema({ $ref: '#/$defs/missing' }, { name: 'broken' })).toThrow(
        /Schema "broken" could not be compiled: it has a \$ref that cannot be resolved/,
      );
    });

    it('rejects values that are not schemas', () => {
      expect(() => compileSchema(null as never)).toThrow(/got null/);
      expect(() => compileSchema([] as never)).toThrow(/got an array/);
      expect(() => compileSchema('string' as never)).toThrow(/got string/);
    });
  });

  describe('recursive schemas', () => {
    const tree = { type: 'object', properties: { name: { type: 'string' }, child: { $ref: '#' } } };

    it('compiles a schema whose $ref points at its own root without an $id, and validates recursive data', () => {
      expect(check(tree, { name: 'a', child: { name: 'b', child: {} } })).toEqual({
        ok: true,
        value: { name: 'a', child: { name: 'b', child: {} } },
      });
      expect(check(tree, { child: { child: { name: 1 } } })).toMatchObject({
        ok: false,
        issues: [{ path: 'child.child.name', message: 'expected string, got number' }],
      });
      const draft7 = { ...tree, $schema: 'http://json-schema.org/draft-07/schema' };
      expect(check(draft7, { child: { child: 1 } }).ok).toBe(false);
    });

    it('follows $dynamicRef and $recursiveRef recursion', () => {
      const dynamic = {
        $dynamicAnchor: 'node',
        type: 'object',
        properties: { kids: { type: 'array', items: { $dynamicRef: '#node' } } },
      };
      expect(check(dynamic, { kids: [{ kids: [] }] }).ok).toBe(true);
      expect(check(dynamic, { kids: [{ kids: [1] }] }).ok).toBe(false);
      const recursive = {
        $schema: 'https://json-schema.org/draft/2019-09/schema',
        $recursiveAnchor: true,
        type: 'object',
        additionalProperties: { $recursiveRef: '#' },
      };
      expect(check(recursive, { a: { b: {} } }).ok).toBe(true);
      expect(check(recursive, { a: { b: 1 } }).ok).toBe(false);
    });

    it('refuses with SchemaError a reference loop that never descends into the value', () => {
      for (const schema of [
        { $dynamicAnchor: 'a', $dynamicRef: '#a' },
        { $id: 'https://example.com/s', $ref: '#' },
        { $defs: { a: { $ref: '#/$defs/b' }, b: { allOf: [{ $ref: '#/$defs/a' }] } }, $ref: '#/$defs/a' },
        {
          $schema: 'https://json-schema.org/draft/2019-09/schema',
          $recursiveAnchor: true,
          $recursiveRef: '#',
        },
        { anyOf: [{ type: 'string' }, { $ref: '#' }] },
      ]) {
        expect(() => compileSchema(schema, { name: 'loop' })).toThrow(
          expect.objectContaining({
            name: 'SchemaError',
            message: expect.stringMatching(
              /^Schema "loop" refers to itself without descending into the value \(#/,
            ),
          }),
        );
      }
    });

    it('answers a value nested too deeply for a recursive schema with a failure, not a RangeError', () => {
      let value: Record<string, unknown> = {};
      for (let i = 0; i < 100_000; i++) value = { child: value };
      expect(check(tree, value)).toMatchObject({
        ok: false,
        issues: [{ path: '', message: 'is nested too deeply to validate' }],
      });
    });
  });

  describe('$schema spellings', () => {
    it.each([
      ['http://json-schema.org/draft-07/schema', 'draft-07'],
      ['https://json-schema.org/draft-07/schema#', 'draft-07'],
      ['HTTP://JSON-SCHEMA.ORG/DRAFT-07/SCHEMA#', 'draft-07'],
      ['json-schema.org/draft-07/schema', 'draft-07'],
      ['http://json-schema.org/draft/2020-12/schema', '2020-12'],
      [' https://json-schema.org/draft/2020-12/schema# ', '2020-12'],
      ['http://json-schema.org/draft/2019-09/schema', '2019-09'],
    ])('recognizes %j as %s', (uri, dialect) => {
      // Array items: a list of schemas is a tuple before 2020-12 and invalid in 2020-12 (prefixItems).
      const schema = { $schema: uri, type: 'array', items: [{ type: 'string' }] };
      if (dialect !== '2020-12') expect(check(schema, [1]).ok).toBe(false);
      else expect(() => compileSchema(schema)).toThrow(expect.objectContaining({ name: 'SchemaError' }));
      const plain = { $schema: uri, type: 'object', properties: { a: { type: 'string' } } };
      expect(check(plain, { a: 1 }).ok).toBe(false);
      expect(compileSchema(plain).jsonSchema.$schema).toBe(uri);
    });

    it.each([
      [5, /has a \$schema of 5, not a URI string\. Set \$schema to one of the supported dialects/],
      [null, /has a \$schema of null, not a URI string/],
      [
        'http://example.com/my-meta',
        /unsupported JSON Schema dialect "http:\/\/example.com\/my-meta" \(supported: 2020-12/,
      ],
      [
        'http://json-schema.org/draft-06/schema#',
        /Draft-06 and older are not supported; .*try "http:\/\/json-schema.org\/draft-07\/schema#"/,
      ],
    ])('refuses $schema %j with SchemaError saying what to do', (uri, message) => {
      expect(() => compileSchema({ $schema: uri, type: 'object' }, { name: 'odd' })).toThrow(
        expect.objectContaining({ name: 'SchemaError', message: expect.stringMatching(message) }),
      );
    });
  });

  describe('remote $ref', () => {
    let server: Server;
    let requests = 0;
    let base = '';

    beforeAll(async () => {
      server = createServer((_request, response) => {
        requests += 1;
        response.setHeader('content-type', 'application/schema+json');
        response.end(JSON.stringify({ type: 'string' }));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });

    afterAll(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it('is never fetched: compiling fails and the server receives no request', async () => {
      // The server answers when asked directly, so a fetch by the compiler would have been counted.
      expect(await (await fetch(`${base}/probe.json`)).json()).toEqual({ type: 'string' });
      expect(requests).toBe(1);
      const schema = { type: 'object', properties: { a: { $ref: `${base}/remote.json` } } };
      expect(() => compileSchema(schema, { name: 'remote' })).toThrow(
        new RegExp(`Schema "remote" could not be compiled: .*${base}/remote.json.*never fetched`),
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(requests).toBe(1);
    });

    it('is never fetched through $dynamicRef, $recursiveRef, $id or $schema either', async () => {
      const before = requests;
      const schemas = [
        { type: 'object', properties: { a: { $dynamicRef: `${base}/d.json#node` } } },
        {
          $schema: 'https://json-schema.org/draft/2019-09/schema',
          properties: { a: { $recursiveRef: `${base}/r.json` } },
        },
        { $id: `${base}/root.json`, properties: { a: { $ref: 'other.json' } } },
        { $schema: `${base}/meta.json`, type: 'object' },
      ];
      for (const schema of schemas) {
        try {
          const compiled = compileSchema(schema);
          await compiled.validate({ a: { b: 1 } });
        } catch (error) {
          expect(error).toMatchObject({ name: 'SchemaError' });
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(requests).toBe(before);
    });
  });

  describe('formats', () => {
    const schema = {
      type: 'object',
      properties: {
        email: { type: 'string', format: 'email' },
        uri: { type: 'string', format: 'uri' },
        date: { type: 'string', format: 'date' },
        when: { type: 'string', format: 'date-time' },
        id: { type: 'string', format: 'uuid' },
        other: { type: 'string', format: 'no-such-format' },
      },
    };

    it('accepts well-formed values and ignores unknown formats', () => {
      const value = {
        email: 'ada@example.com',
        uri: 'https://example.com/a?b=c',
        date: '2024-02-29',
        when: '2025-11-25T13:45:00.5+02:00',
        id: '123e4567-e89b-12d3-a456-426614174000',
        other: 'anything',
      };
      expect(check(schema, value)).toEqual({ ok: true, value });
    });

    it('rejects malformed values, naming the format', () => {
      const result = check(schema, {
        email: 'ada@',
        uri: 'not a uri',
        date: '2023-02-29',
        when: '2025-11-25 13:45',
        id: 'nope',
      });
      expect(result).toMatchObject({
        ok: false,
        message:
          'email: must be a valid email; uri: must be a valid uri; date: must be a valid date; ' +
          'when: must be a valid date-time; id: must be a valid uuid',
      });
    });
  });
});
