/** Each shaped message against its revision's own schema (run by `npm run test:schemas`). */
import { describe, expect, it } from 'vitest';
import { checkJsonRpc } from '../../test/support/schema-check.ts';
import {
  CASES,
  type Case,
  exists,
  freeze,
  type Obj,
  shape,
  tool,
  wire,
} from '../../test/support/shape-cases.ts';
import { LEGACY_REVISIONS, type Revision } from './revisions.ts';
import { shapeResult } from './shape.ts';

function check(c: Case, value: Obj | undefined, r: Revision): string[] {
  return checkJsonRpc(r, wire(c, value), c.from, { method: c.method });
}

describe('shaping maximal messages for every stateful revision', () => {
  for (const r of LEGACY_REVISIONS) {
    for (const c of CASES) {
      if (!exists(c, r)) continue;
      it(`${r} ${c.kind} ${c.method} conforms in strict mode`, () => {
        const value = freeze(c.value(r));
        expect(check(c, shape(c, value, r), r)).toEqual([]);
      });
    }
  }

  it('2024-11-05 rejects the unshaped messages, so the checks above can fail', () => {
    for (const c of CASES.filter((x) => x.later && exists(x, '2024-11-05'))) {
      expect(check(c, c.value('2024-11-05'), '2024-11-05'), c.method).not.toEqual([]);
    }
  });

  it('2026-07-28 tools/list conforms once the task-augmented fields are dropped', () => {
    const list = freeze({ tools: [tool], resultType: 'complete', ttlMs: 0, cacheScope: 'public' });
    const message = { jsonrpc: '2.0', id: 1, result: shapeResult('tools/list', list, '2026-07-28') };
    expect(checkJsonRpc('2026-07-28', message, 'server', { method: 'tools/list' })).toEqual([]);
    expect(
      checkJsonRpc('2026-07-28', { ...message, result: list }, 'server', { method: 'tools/list' }),
    ).not.toEqual([]);
  });
});
