/** The options of McpServer and the events it emits. */
import type {
  CacheScope,
  Icon,
  JsonRpcNotification,
  LegacyRevision,
  ServerCapabilities,
} from '../protocol/index.ts';
import type { Middleware } from '../rpc/index.ts';
import type { JsonSchemaValidator } from '../schema/index.ts';
import type { ServerSession } from './session.ts';

/** Options of a server. */
export interface McpServerOptions {
  /** The server's name, sent to clients. */
  name: string;
  /** The server's version. */
  version: string;
  /** Display name (2025-06-18). */
  title?: string;
  /** Description (2025-11-25). */
  description?: string;
  /** Website (2025-11-25). */
  websiteUrl?: string;
  /** Icons (2025-11-25). */
  icons?: Icon[];
  /** Instructions for the model on how to use this server. */
  instructions?: string;
  /** Capabilities to declare beyond those the registrations imply (e.g. `experimental`). */
  capabilities?: ServerCapabilities;
  /** Items per page in list results (default 100). */
  pageSize?: number;
  /** The stateful revisions to accept (default: all four). */
  revisions?: readonly LegacyRevision[];
  /** Middleware around every inbound and outbound request. */
  middleware?: Middleware[];
  /** Limits per session: nesting depth of a message (default 64), requests in flight (default 1,024). */
  limits?: { maxDepth?: number; maxInflight?: number };
  /** Timeout for requests to the client (sampling, elicitation, roots), ms (default 60,000). */
  requestTimeout?: number;
  /** Where errors with no caller go (default: console.error). */
  onError?: (error: Error) => void;
  /**
   * Where registration warnings go, such as a tool name the spec advises against (default:
   * console.warn). Throw from it to refuse such registrations instead.
   */
  onWarning?: (message: string) => void;
  /**
   * The secret that signs `requestState` of Multi Round-Trip Requests (2026-07-28). Every node
   * behind one load balancer needs the same one; a random secret is made when absent.
   */
  requestStateSecret?: string | Uint8Array;
  /**
   * The validator of plain JSON Schemas given as tool and prompt schemas (default `autoValidator`: ajv,
   * or `cfworkerValidator` where code generation is refused, as on Cloudflare Workers).
   */
  jsonSchemaValidator?: JsonSchemaValidator;
  /** Caching hints on cacheable results of 2026-07-28 (default: ttlMs 0, lists public, reads private). */
  cache?: { ttlMs?: number; listScope?: CacheScope; readScope?: CacheScope };
  /** Whether to serve the stateless revision 2026-07-28 alongside the legacy ones (default true). */
  modern?: boolean;
}

/** Events a server emits. */
export interface ServerEvents extends Record<string, unknown[]> {
  /** A session finished `initialize`. */
  session: [ServerSession];
  /** A session closed. */
  sessionClosed: [ServerSession];
  /** A client's roots changed (`notifications/roots/list_changed`). */
  rootsListChanged: [ServerSession];
  /** Any notification from a client. */
  notification: [ServerSession, JsonRpcNotification];
}
