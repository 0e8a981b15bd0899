import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { canGenerateCode } from './auto.ts';

const run = promisify(execFile);
const schemaIndex = fileURLToPath(new URL('./index.ts', import.meta.url));

/** Compiles a schema with the default compiler and validates two values, in a Node started with `flags`. */
async function compileIn(flags: string[]): Promise<unknown> {
  const script = `
    import { compileSchema, canGenerateCode } from ${JSON.stringify(schemaIndex)};
    const compiled = compileSchema({ type: 'object', properties: { a: { type: 'integer' } }, required: ['a'] });
    console.log(JSON.stringify({ codegen: canGenerateCode(), good: compiled.validate({ a: 1 }), bad: compiled.validate({ a: 'x' }) }));
  `;
  const { stdout } = await run(process.execPath, [...flags, '--input-type=module', '-e', script]);
  return JSON.parse(stdout);
}

describe('the default JSON Schema validator', () => {
  it('is ajv where code generation works', () => {
    expect(canGenerateCode()).toBe(true);
  });

  it('falls back to @cfworker/json-schema where code generation from strings is refused', async () => {
    const expected = {
      good: { ok: true, value: { a: 1 } },
      bad: { ok: false, issues: [{ path: 'a', message: 'expected integer, got string' }] },
    };
    expect(await compileIn([])).toMatchObject({ codegen: true, ...expected });
    expect(await compileIn(['--disallow-code-generation-from-strings'])).toMatchObject({
      codegen: false,
      ...expected,
    });
  });
});
