import { describe, expect, it } from 'vitest';
import { UsageError } from './errors.ts';
import { toolArguments } from './tool-args.ts';

const schema = {
  type: 'object',
  properties: {
    n: { type: 'integer' },
    x: { type: 'number' },
    on: { type: 'boolean' },
    name: { type: 'string' },
    tags: { type: 'array', items: { type: 'string' } },
    ids: { type: 'array', items: { type: 'number' } },
    kind: { enum: ['a', 'b', 1] },
    maybe: { type: ['integer', 'null'] },
    opts: { type: 'object' },
  },
  required: ['name'],
};

describe('toolArguments', () => {
  it('converts key=value words with the input schema', () => {
    expect(
      toolArguments(
        't',
        [
          'n=3',
          'x=-1.5',
          'on=yes',
          'name=007',
          'tags=a,b',
          'ids=1,2',
          'kind=1',
          'maybe=null',
          'opts={"k":1}',
        ],
        schema,
      ),
    ).toEqual({
      n: 3,
      x: -1.5,
      on: true,
      name: '007',
      tags: ['a', 'b'],
      ids: [1, 2],
      kind: 1,
      maybe: null,
      opts: { k: 1 },
    });
  });

  it('repeats a key into an array, takes key:=json as JSON, guesses keys the schema does not name', () => {
    expect(
      toolArguments('t', ['name=x', 'tags=a', 'tags=b', 'extra:=[1]', 'free=12', 'word=hi'], schema),
    ).toEqual({
      name: 'x',
      tags: ['a', 'b'],
      extra: [1],
      free: 12,
      word: 'hi',
    });
  });

  it('takes one JSON object as it is', () => {
    expect(toolArguments('t', ['{"name": "x", "n": 1}'], schema)).toEqual({ name: 'x', n: 1 });
  });

  it('refuses what the schema cannot take, and missing required arguments, showing the schema', () => {
    for (const words of [
      ['name=x', 'n=1.5'],
      ['name=x', 'kind=c'],
      ['n=1'],
      ['{"name": '],
      ['[1]'],
      ['oops'],
    ]) {
      let error: unknown;
      try {
        toolArguments('t', words, schema);
      } catch (e) {
        error = e;
      }
      expect(error, words.join(' ')).toBeInstanceOf(UsageError);
      expect((error as UsageError).exitCode).toBe(2);
    }
    try {
      toolArguments('t', ['n=1'], schema);
    } catch (e) {
      expect((e as UsageError).details).toContain("Parameters of 't':");
      expect((e as UsageError).details).toMatch(/name\s+string\s+required/);
    }
  });

  it('refuses unknown keys when the schema allows no others, with the closest names', () => {
    expect(() =>
      toolArguments('t', ['nmae=x'], {
        type: 'object',
        properties: { name: { type: 'string' } },
        additionalProperties: false,
      }),
    ).toThrow("'t' has no parameter 'nmae'. Did you mean 'name'?");
  });
});
