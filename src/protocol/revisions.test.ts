import { describe, expect, it } from 'vitest';
import { FROM_CHECKLIST, FROM_SCHEMA } from '../../test/support/feature-sources.ts';
import {
  atLeast,
  FEATURES,
  isLegacyRevision,
  isRevision,
  LATEST_LEGACY_REVISION,
  LATEST_REVISION,
  LEGACY_REVISIONS,
  negotiateVersion,
  REVISIONS,
  type RevisionFeatures,
} from './revisions.ts';

describe('negotiateVersion', () => {
  it('answers each stateful revision with itself', () => {
    for (const r of LEGACY_REVISIONS) expect(negotiateVersion(r)).toBe(r);
  });

  it('answers anything else with the newest stateful revision', () => {
    for (const requested of [
      '2026-07-28',
      '2099-01-01',
      '2024-11-04',
      'latest',
      '',
      ' 2025-06-18',
      42,
      null,
      undefined,
      {},
    ]) {
      expect(negotiateVersion(requested), String(requested)).toBe('2025-11-25');
    }
  });

  it('uses the server’s own list when given one', () => {
    const supported = ['2024-11-05', '2025-03-26'] as const;
    expect(negotiateVersion('2024-11-05', supported)).toBe('2024-11-05');
    expect(negotiateVersion('2025-03-26', supported)).toBe('2025-03-26');
    expect(negotiateVersion('2025-06-18', supported)).toBe('2025-03-26');
    expect(negotiateVersion('2025-11-25', ['2025-06-18'])).toBe('2025-06-18');
    expect(negotiateVersion('2025-06-18', [])).toBe(LATEST_LEGACY_REVISION);
  });
});

describe('the revision list', () => {
  it('is ordered oldest first, and names the newest', () => {
    expect([...REVISIONS].sort()).toEqual([...REVISIONS]);
    expect(LATEST_REVISION).toBe(REVISIONS[REVISIONS.length - 1]);
    expect(LATEST_LEGACY_REVISION).toBe(LEGACY_REVISIONS[LEGACY_REVISIONS.length - 1]);
    expect(REVISIONS.filter((r) => !isLegacyRevision(r))).toEqual(['2026-07-28']);
  });

  it('recognises revisions', () => {
    expect(isRevision('2026-07-28')).toBe(true);
    expect(isRevision('2026-07-29')).toBe(false);
    expect(isRevision(20241105)).toBe(false);
    expect(isLegacyRevision('2025-11-25')).toBe(true);
    expect(isLegacyRevision('2026-07-28')).toBe(false);
  });

  it('compares revisions', () => {
    expect(atLeast('2025-06-18', '2025-03-26')).toBe(true);
    expect(atLeast('2025-06-18', '2025-06-18')).toBe(true);
    expect(atLeast('2024-11-05', '2025-03-26')).toBe(false);
  });
});

describe('FEATURES', () => {
  it('has a row for every revision and the same flags in each', () => {
    expect(Object.keys(FEATURES)).toEqual([...REVISIONS]);
    const keys = Object.keys(FEATURES['2024-11-05']).sort();
    for (const r of REVISIONS) expect(Object.keys(FEATURES[r]).sort(), r).toEqual(keys);
  });

  it('covers every flag with a check, here or in revisions.schema.test.ts', () => {
    const checked = [
      ...Object.keys(FROM_SCHEMA),
      ...Object.keys(FROM_CHECKLIST),
      'resourceNotFoundCode',
    ].sort();
    expect(checked).toEqual(Object.keys(FEATURES['2024-11-05']).sort());
  });

  for (const [flag, revisions] of Object.entries(FROM_CHECKLIST)) {
    it(`agrees with the checklist on ${flag}`, () => {
      for (const r of REVISIONS) {
        expect(FEATURES[r][flag as keyof RevisionFeatures], r).toBe(revisions.includes(r));
      }
    });
  }

  it('answers a missing resource with -32002 up to 2025-11-25 and -32602 in 2026-07-28', () => {
    for (const r of LEGACY_REVISIONS) expect(FEATURES[r].resourceNotFoundCode, r).toBe(-32002);
    expect(FEATURES['2026-07-28'].resourceNotFoundCode).toBe(-32602);
  });
});
