/** FEATURES against what each revision's own schema shows (run by `npm run test:schemas`). */
import { describe, expect, it } from 'vitest';
import { FROM_SCHEMA } from '../../test/support/feature-sources.ts';
import { FEATURES, REVISIONS, type RevisionFeatures } from './revisions.ts';

describe('FEATURES against the schemas', () => {
  for (const [flag, fromSchema] of Object.entries(FROM_SCHEMA)) {
    it(`agrees with each revision's schema on ${flag}`, () => {
      for (const r of REVISIONS) {
        expect(FEATURES[r][flag as keyof RevisionFeatures], r).toBe(fromSchema(r));
      }
    });
  }
});
