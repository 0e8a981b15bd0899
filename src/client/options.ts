/** The options of a client and of one call, and the events a client emits. */
import type {
  ClientCapabilities,
  Implementation,
  JsonRpcNotification,
  LegacyRevision,
  LoggingMessageParams,
  ProgressParams,
} from '../protocol/index.ts';
import type { Middleware, RequestOptions } from '../rpc/index.ts';
import type { JsonSchemaValidator } from '../schema/index.ts';
import type { Era } from './era.ts';
import type { ClientHandlers } from './handlers.ts';

/** Options of a client. */
export interface McpClientOptions extends Partial<Implementation> {
  /** The client's name (default 'mcpkit-client'). */
  name?: string;
  /** The client's version. */
  version?: string;
  /** The revision to ask for (default: the newest stateful one). */
  protocolVersion?: LegacyRevision;
  /** Capabilities beyond those the handlers imply. */
  capabilities?: ClientCapabilities;
  /** Answers to server→client requests. */
  handlers?: ClientHandlers;
  /** Timeout of each request without progress, ms (default 60,000). */
  timeout?: number;
  /** Maximum total time of each request, ms (default 10 minutes). */
  maxTotalTimeout?: number;
  /** Middleware around every request. */
  middleware?: Middleware[];
  /** Limits on what the server sends: nesting depth (default 64), its requests in flight (default 1,024). */
  limits?: { maxDepth?: number; maxInflight?: number };
  /** Validate `structuredContent` against the tool's outputSchema (default true). */
  validateOutput?: boolean;
  /**
   * The validator of the output schemas tools list (default `autoValidator`: ajv, or `cfworkerValidator`
   * where code generation is refused, as on Cloudflare Workers).
   */
  jsonSchemaValidator?: JsonSchemaValidator;
  /**
   * Which era to speak: 'modern' (2026-07-28, stateless), 'legacy' (initialize), or 'auto' (the
   * default): probe with `server/discover`, fall back to `initialize` unless the server answers as
   * a modern one, as the versioning page orders it.
   */
  era?: 'auto' | Era;
  /** A name for the server (its URL or command line): the era found is remembered under it. */
  eraKey?: string;
  /** How long the `server/discover` probe may take before the server is taken as legacy, ms (default 5,000). */
  probeTimeout?: number;
  /** Cache results that carry `ttlMs` (2026-07-28), until they go stale or a list changes (default true). */
  cache?: boolean;
  /** Most rounds of a Multi Round-Trip Request before giving up (default 16). */
  maxRounds?: number;
}

/** Options of one call. */
export type CallOptions = Pick<RequestOptions, 'signal' | 'timeout' | 'maxTotalTimeout' | 'onprogress'>;

/** Events a client emits. */
export interface ClientEvents extends Record<string, unknown[]> {
  /** `notifications/tools/list_changed`. */
  toolsListChanged: [];
  /** `notifications/resources/list_changed`. */
  resourcesListChanged: [];
  /** `notifications/prompts/list_changed`. */
  promptsListChanged: [];
  /** `notifications/resources/updated`. */
  resourceUpdated: [uri: string];
  /** `notifications/message`. */
  log: [LoggingMessageParams];
  /** `notifications/progress`, for any request. */
  progress: [ProgressParams];
  /** `notifications/elicitation/complete` (2025-11-25). */
  elicitationComplete: [elicitationId: string];
  /** Any notification. */
  notification: [JsonRpcNotification];
  /** The connection closed. */
  close: [reason: Error | undefined];
}
