import { describe, expect, it } from 'vitest';
import { applyDefaults } from './defaults.ts';

const schema = {
  type: 'object',
  properties: {
    name: { type: 'string', default: 'Ada' },
    age: { type: 'integer', default: 36 },
    subscribe: { type: 'boolean', default: false },
    colors: { type: 'array', items: { enum: ['r', 'g'] }, default: ['r'] },
    note: { type: 'string' },
  },
};

describe('applyDefaults', () => {
  it('fills absent properties and keeps given ones', () => {
    expect(applyDefaults(schema, { name: 'Grace', note: 'hi' })).toEqual({
      name: 'Grace',
      note: 'hi',
      age: 36,
      subscribe: false,
      colors: ['r'],
    });
  });

  it('fills everything when content is undefined, treating undefined values as absent', () => {
    expect(applyDefaults(schema, undefined)).toEqual({
      name: 'Ada',
      age: 36,
      subscribe: false,
      colors: ['r'],
    });
    expect(applyDefaults(schema, { age: undefined }).age).toBe(36);
  });

  it('keeps falsy values that were given', () => {
    expect(applyDefaults(schema, { subscribe: true, age: 0, name: '' })).toMatchObject({
      subscribe: true,
      age: 0,
      name: '',
    });
  });

  it('is pure: neither the content nor the schema defaults are shared or changed', () => {
    const content = { name: 'Grace' };
    const result = applyDefaults(schema, content);
    expect(content).toEqual({ name: 'Grace' });
    (result.colors as string[]).push('g');
    expect(schema.properties.colors.default).toEqual(['r']);
  });

  it('returns the content unchanged when there is nothing to fill', () => {
    const content = { a: 1 };
    expect(applyDefaults({ type: 'object' }, content)).toBe(content);
    expect(applyDefaults({ properties: { a: { default: 2 } } }, content)).toBe(content);
  });
});
