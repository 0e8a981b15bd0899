import { toStandardJsonSchema } from '@valibot/to-json-schema';
import { type } from 'arktype';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import * as zm from 'zod/mini';
import { compileSchema } from './compile.ts';

describe('zod 4', () => {
  const schema = z.object({
    city: z.string(),
    days: z.number().int().default(3),
    contact: z.object({ email: z.email() }).optional(),
  });

  it('publishes the input JSON Schema (2020-12)', () => {
    const { jsonSchema } = compileSchema(schema);
    expect(jsonSchema).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: { city: { type: 'string' }, days: { type: 'integer', default: 3 } },
      required: ['city'],
    });
  });

  it('validates synchronously and returns the parsed value', () => {
    const result = compileSchema(schema).validate({ city: 'Paris' });
    expect(result).not.toBeInstanceOf(Promise);
    expect(result).toEqual({ ok: true, value: { city: 'Paris', days: 3 } });
  });

  it('reports issues with readable paths', () => {
    const result = compileSchema(schema).validate({ city: 1, contact: { email: 'nope' } });
    expect(result).not.toBeInstanceOf(Promise);
    expect(result).toMatchObject({ ok: false });
    if (result instanceof Promise || result.ok) return;
    expect(result.issues.map((issue) => issue.path)).toEqual(['city', 'contact.email']);
    expect(result.message).toMatch(/^city: .*expected string.*; contact\.email: /);
  });

  it('returns a promise only when the schema is asynchronous', async () => {
    const asyncSchema = z.object({ name: z.string().refine(async (name) => name !== 'taken', 'is taken') });
    const result = compileSchema(asyncSchema).validate({ name: 'taken' });
    expect(result).toBeInstanceOf(Promise);
    expect(await result).toMatchObject({ ok: false, message: 'name: is taken' });
  });

  it('explains a schema that JSON Schema cannot represent', () => {
    expect(() => compileSchema(z.object({ when: z.date() }), { name: 'tool "remind" input' })).toThrow(
      /Schema "tool "remind" input" \(zod\) could not be converted to JSON Schema: .*Date.*\{ standard: schema, jsonSchema/,
    );
  });

  it('explains zod/mini, which has no JSON Schema conversion', () => {
    expect(() => compileSchema(zm.object({ a: zm.string() }), { name: 'mini' })).toThrow(
      /Schema "mini" \(zod\) cannot be converted to JSON Schema.*Use zod 4 classic/,
    );
  });
});

describe('valibot', () => {
  const schema = v.object({ a: v.number(), b: v.optional(v.string(), 'x') });
  const jsonSchema = {
    type: 'object',
    properties: { a: { type: 'number' }, b: { type: 'string' } },
    required: ['a'],
  };

  it('cannot convert a bare valibot schema and says how to fix it', () => {
    expect(() => compileSchema(schema, { name: 'v' })).toThrow(
      /Schema "v" \(valibot\) cannot be converted to JSON Schema.*toStandardJsonSchema\(\).*\{ standard: schema, jsonSchema/,
    );
  });

  it('accepts { standard, jsonSchema } and validates with valibot', () => {
    const compiled = compileSchema({ standard: schema, jsonSchema });
    expect(compiled.jsonSchema).toBe(jsonSchema);
    expect(compiled.validate({ a: 1 })).toEqual({ ok: true, value: { a: 1, b: 'x' } });
    expect(compiled.validate({ a: 'one' })).toMatchObject({ ok: false, issues: [{ path: 'a' }] });
  });

  it('converts through toStandardJsonSchema', () => {
    const compiled = compileSchema(toStandardJsonSchema(schema));
    expect(compiled.jsonSchema).toMatchObject({ type: 'object', required: ['a'] });
    expect(compiled.validate({ a: 2 })).toEqual({ ok: true, value: { a: 2, b: 'x' } });
  });
});

describe('arktype', () => {
  const schema = type({ name: 'string', 'tags?': 'string[]' });

  it('publishes its JSON Schema and validates with arktype', () => {
    const compiled = compileSchema(schema, { requireObject: true });
    expect(compiled.jsonSchema).toMatchObject({
      type: 'object',
      properties: { name: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } } },
      required: ['name'],
    });
    expect(compiled.validate({ name: 'a', tags: ['x'] })).toEqual({
      ok: true,
      value: { name: 'a', tags: ['x'] },
    });
    const bad = compiled.validate({ name: 'a', tags: ['x', 2] });
    expect(bad).toMatchObject({ ok: false, issues: [{ path: 'tags[1]' }] });
  });
});
