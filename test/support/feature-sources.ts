/**
 * Where each revision feature flag of `FEATURES` is checked from: the revision's own schema (by
 * src/protocol/revisions.schema.test.ts, which needs the spec's schema files) or the checklist's notes.
 */
import type { Revision, RevisionFeatures } from '../../src/protocol/revisions.ts';
import { type SchemaNode, schemaDefinitions } from './schema-check.ts';

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
export const FROM_SCHEMA: Partial<Record<keyof RevisionFeatures, (r: Revision) => boolean>> = {
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
export const FROM_CHECKLIST: Partial<Record<keyof RevisionFeatures, readonly Revision[]>> = {
  argumentErrorsAsResults: ['2025-11-25', '2026-07-28'],
  ssePolling: ['2025-11-25'],
  versionHeader: ['2025-06-18', '2025-11-25', '2026-07-28'],
};
