import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { compileSchema, createSchemaCompiler, isObjectSchema } from './compile.ts';
import { ajvValidator } from './json-schema.ts';
import type { JsonSchema } from './types.ts';

describe('caching', () => {
  it('returns the same CompiledSchema for the same JSON Schema object', () => {
    const schema = { type: 'object', properties: { a: { type: 'number' } } };
    const first = compileSchema(schema, { name: 'one' });
    expect(compileSchema(schema, { name: 'two', requireObject: true })).toBe(first);
    expect(compileSchema({ ...schema })).not.toBe(first);
  });

  it('returns the same CompiledSchema for the same Standard Schema', () => {
    const schema = z.object({ a: z.number() });
    expect(compileSchema(schema)).toBe(compileSchema(schema));
  });

  it('returns the same CompiledSchema for the same standard and jsonSchema pair', () => {
    const standard = z.object({ a: z.number() });
    const jsonSchema = { type: 'object' };
    const first = compileSchema({ standard, jsonSchema });
    expect(compileSchema({ standard, jsonSchema })).toBe(first);
    expect(compileSchema({ standard, jsonSchema: { type: 'object' } })).not.toBe(first);
  });

  it('compiles each JSON Schema object once per compiler', () => {
    const compiled: JsonSchema[] = [];
    const compile = createSchemaCompiler({
      compile(schema, label) {
        compiled.push(schema);
        return ajvValidator.compile(schema, label);
      },
    });
    const shared = { type: 'object' };
    for (let i = 0; i < 5; i++) compile(shared);
    expect(compiled).toEqual([shared]);
    expect(compile({ type: 'string' }).validate(1)).toMatchObject({ ok: false });
    expect(compiled).toHaveLength(2);
  });

  it('does not cache failures', () => {
    const schema = { type: 'nope' };
    expect(() => compileSchema(schema, { name: 'first' })).toThrow(/"first"/);
    expect(() => compileSchema(schema, { name: 'second' })).toThrow(/"second"/);
  });
});

describe('requireObject', () => {
  it('accepts an object root', () => {
    expect(compileSchema({ type: 'object' }, { requireObject: true }).jsonSchema).toEqual({ type: 'object' });
  });

  it('rejects another root type with a clear error', () => {
    expect(() =>
      compileSchema({ type: 'string' }, { name: 'tool "echo" input', requireObject: true }),
    ).toThrow(
      'Schema "tool "echo" input" must have a root of type "object" (MCP requires it for tool input schemas), ' +
        'but its root type is "string". Wrap the value in an object schema.',
    );
    expect(() => compileSchema(z.string(), { requireObject: true })).toThrow(/root type is "string"/);
    expect(() => compileSchema({}, { requireObject: true })).toThrow(/root type is no type/);
  });

  it('isObjectSchema looks at the root type only', () => {
    expect(isObjectSchema({ type: 'object', additionalProperties: false })).toBe(true);
    expect(isObjectSchema({ type: 'array' })).toBe(false);
    expect(isObjectSchema({ properties: {} })).toBe(false);
    expect(isObjectSchema(null)).toBe(false);
  });
});

describe('input forms', () => {
  it('treats an object with standard and jsonSchema keys but no Standard Schema as JSON Schema', () => {
    const schema = { type: 'object', standard: 1, jsonSchema: {} };
    expect(compileSchema(schema).jsonSchema).toBe(schema);
  });

  it('rejects a pair whose jsonSchema is not an object', () => {
    expect(() => compileSchema({ standard: z.string(), jsonSchema: 'x' as never }, { name: 'p' })).toThrow(
      'Schema "p": jsonSchema must be a JSON Schema object.',
    );
  });
});
