/**
 * The revisions of MCP and what each one has. Every difference between revisions that the SDK acts on
 * is a row here, so that the rest of the code asks this table instead of comparing version strings.
 */

/** Every published revision, oldest first. */
export const REVISIONS = ['2024-11-05', '2025-03-26', '2025-06-18', '2025-11-25', '2026-07-28'] as const;

/** A published revision of the protocol. */
export type Revision = (typeof REVISIONS)[number];

/** The stateful revisions, which start with `initialize` ("legacy" in the 2026-07-28 spec). */
export const LEGACY_REVISIONS = ['2024-11-05', '2025-03-26', '2025-06-18', '2025-11-25'] as const;

/** A stateful revision. */
export type LegacyRevision = (typeof LEGACY_REVISIONS)[number];

/** The newest stateful revision: what a server answers to an `initialize` asking for one it lacks. */
export const LATEST_LEGACY_REVISION: LegacyRevision = '2025-11-25';

/** The newest revision of all. */
export const LATEST_REVISION: Revision = '2026-07-28';

/** What the wire looks like in one revision. */
export interface RevisionFeatures {
  /** JSON-RPC batches (arrays) must be accepted. */
  readonly batching: boolean;
  /** `title` on tools, resources, prompts, arguments and implementations. */
  readonly titles: boolean;
  /** Tool `annotations` (readOnlyHint and friends). */
  readonly toolAnnotations: boolean;
  /** `outputSchema` on tools and `structuredContent` on results. */
  readonly structuredOutput: boolean;
  /** `icons` on tools, resources, prompts, templates, links and implementations. */
  readonly icons: boolean;
  /** `audio` content blocks. */
  readonly audio: boolean;
  /** `resource_link` content blocks. */
  readonly resourceLinks: boolean;
  /** `_meta` on content blocks, tools, resources and prompts (not only on params and results). */
  readonly metaEverywhere: boolean;
  /** `lastModified` in annotations. */
  readonly lastModified: boolean;
  /** The `completions` server capability exists. */
  readonly completionsCapability: boolean;
  /** `context` in `completion/complete`. */
  readonly completionContext: boolean;
  /** `message` on progress notifications. */
  readonly progressMessage: boolean;
  /** Server→client `elicitation/create` in form mode. */
  readonly elicitation: boolean;
  /** URL-mode elicitation, -32042 and `notifications/elicitation/complete`. */
  readonly elicitationUrl: boolean;
  /** `tools` and `toolChoice` in `sampling/createMessage`. */
  readonly samplingTools: boolean;
  /** Invalid tool arguments come back as an `isError` result, not as -32602. */
  readonly argumentErrorsAsResults: boolean;
  /** `description`, `websiteUrl` on Implementation. */
  readonly implementationDetails: boolean;
  /** SSE priming events and server-side closing of streams (polling). */
  readonly ssePolling: boolean;
  /** The `MCP-Protocol-Version` header is sent on HTTP requests after initialization. */
  readonly versionHeader: boolean;
  /** Stateless: no initialize, per-request `_meta` envelope, Multi Round-Trip Requests. */
  readonly stateless: boolean;
  /** The code for "resource not found". */
  readonly resourceNotFoundCode: number;
}

const BASE: RevisionFeatures = {
  batching: false,
  titles: false,
  toolAnnotations: false,
  structuredOutput: false,
  icons: false,
  audio: false,
  resourceLinks: false,
  metaEverywhere: false,
  lastModified: false,
  completionsCapability: false,
  completionContext: false,
  progressMessage: false,
  elicitation: false,
  elicitationUrl: false,
  samplingTools: false,
  argumentErrorsAsResults: false,
  implementationDetails: false,
  ssePolling: false,
  versionHeader: false,
  stateless: false,
  resourceNotFoundCode: -32002,
};

const R2503: RevisionFeatures = {
  ...BASE,
  batching: true,
  toolAnnotations: true,
  audio: true,
  completionsCapability: true,
  progressMessage: true,
};

const R2506: RevisionFeatures = {
  ...R2503,
  batching: false,
  titles: true,
  structuredOutput: true,
  resourceLinks: true,
  metaEverywhere: true,
  lastModified: true,
  completionContext: true,
  elicitation: true,
  versionHeader: true,
};

const R2511: RevisionFeatures = {
  ...R2506,
  icons: true,
  elicitationUrl: true,
  samplingTools: true,
  argumentErrorsAsResults: true,
  implementationDetails: true,
  ssePolling: true,
};

const R2607: RevisionFeatures = {
  ...R2511,
  elicitationUrl: false,
  stateless: true,
  ssePolling: false,
  resourceNotFoundCode: -32602,
};

/** The feature table, one row per revision. */
export const FEATURES: Readonly<Record<Revision, RevisionFeatures>> = {
  '2024-11-05': BASE,
  '2025-03-26': R2503,
  '2025-06-18': R2506,
  '2025-11-25': R2511,
  '2026-07-28': R2607,
};

/** Whether `value` names a published revision. */
export function isRevision(value: unknown): value is Revision {
  return typeof value === 'string' && (REVISIONS as readonly string[]).includes(value);
}

/** Whether `value` names a stateful revision. */
export function isLegacyRevision(value: unknown): value is LegacyRevision {
  return typeof value === 'string' && (LEGACY_REVISIONS as readonly string[]).includes(value);
}

/**
 * Version negotiation for `initialize` (lifecycle, "Version Negotiation"): a requested revision the
 * server supports is answered with itself; anything else with the server's newest.
 */
export function negotiateVersion(
  requested: unknown,
  supported: readonly LegacyRevision[] = LEGACY_REVISIONS,
): LegacyRevision {
  if (typeof requested === 'string' && (supported as readonly string[]).includes(requested)) {
    return requested as LegacyRevision;
  }
  return supported[supported.length - 1] ?? LATEST_LEGACY_REVISION;
}

/** Whether revision `a` is the same as or later than `b`. */
export function atLeast(a: Revision, b: Revision): boolean {
  return a >= b;
}
