import { describe, expect, it } from 'vitest';
import { type SchemaNode, schemaDefinitions } from '../../test/support/schema-check.ts';
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
  type Revision,
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

function resolve(defs: Readonly<Record<string, SchemaNode>>, node: unknown): SchemaNode | undefined {
  let n = node as SchemaNode | undefined;
  while (n !== undefined && typeof n.$ref === 'string') n = defs[n.$ref.split('/').pop() as string];
  return n;
}

/** Whether definition `name` of revision `r` declares the property at `path`, following $ref. */
function declares(r: Revision, name: string, ...path: string[]): boolean {
  const defs = schemaDefinitions(r);
  let node = resolve(defs, defs[name]);
  for (const key of path) node = resolve(defs, (node?.properties as SchemaNode | undefined)?.[key]);
  return node !== undefined;
}

const defined = (r: Revision, name: string) => schemaDefinitions(r)[name] !== undefined;

/** What each schema says about the features that show in it. */
const FROM_SCHEMA: Partial<Record<keyof RevisionFeatures, (r: Revision) => boolean>> = {
  batching: (r) => defined(r, 'JSONRPCBatchRequest'),
  titles: (r) => declares(r, 'Tool', 'title') && declares(r, 'Implementation', 'title'),
  toolAnnotations: (r) => declares(r, 'Tool', 'annotations'),
  structuredOutput: (r) =>
    declares(r, 'Tool', 'outputSchema') && declares(r, 'CallToolResult', 'structuredContent'),
  icons: (r) => defined(r, 'Icon') && declares(r, 'Tool', 'icons'),
  audio: (r) => defined(r, 'AudioContent'),
  resourceLinks: (r) => defined(r, 'ResourceLink'),
  metaEverywhere: (r) => declares(r, 'TextContent', '_meta') && declares(r, 'Resource', '_meta'),
  lastModified: (r) => declares(r, 'Annotations', 'lastModified'),
  completionsCapability: (r) => declares(r, 'ServerCapabilities', 'completions'),
  completionContext: (r) => declares(r, 'CompleteRequest', 'params', 'context'),
  progressMessage: (r) => declares(r, 'ProgressNotification', 'params', 'message'),
  elicitation: (r) => defined(r, 'ElicitRequest'),
  elicitationUrl: (r) =>
    defined(r, 'ElicitationCompleteNotification') && defined(r, 'URLElicitationRequiredError'),
  samplingTools: (r) => declares(r, 'CreateMessageRequest', 'params', 'tools'),
  implementationDetails: (r) => declares(r, 'Implementation', 'websiteUrl'),
  stateless: (r) => !defined(r, 'InitializeRequest'),
};

/** Features the schema cannot show, from the checklist's revision notes: the revisions that have each. */
const FROM_CHECKLIST: Partial<Record<keyof RevisionFeatures, readonly Revision[]>> = {
  argumentErrorsAsResults: ['2025-11-25', '2026-07-28'],
  ssePolling: ['2025-11-25'],
  versionHeader: ['2025-06-18', '2025-11-25', '2026-07-28'],
};

describe('FEATURES', () => {
  it('has a row for every revision and the same flags in each', () => {
    expect(Object.keys(FEATURES)).toEqual([...REVISIONS]);
    const keys = Object.keys(FEATURES['2024-11-05']).sort();
    for (const r of REVISIONS) expect(Object.keys(FEATURES[r]).sort(), r).toEqual(keys);
  });

  it('covers every flag with a check below', () => {
    const checked = [
      ...Object.keys(FROM_SCHEMA),
      ...Object.keys(FROM_CHECKLIST),
      'resourceNotFoundCode',
    ].sort();
    expect(checked).toEqual(Object.keys(FEATURES['2024-11-05']).sort());
  });

  for (const [flag, fromSchema] of Object.entries(FROM_SCHEMA)) {
    it(`agrees with each revision's schema on ${flag}`, () => {
      for (const r of REVISIONS) {
        expect(FEATURES[r][flag as keyof RevisionFeatures], r).toBe(fromSchema(r));
      }
    });
  }

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
