/**
 * The data types of the lifecycle: capabilities, `initialize`, and the progress and cancellation
 * notifications. Revision notes as in `types.ts`.
 */
import type { Meta, ProgressToken, RequestId } from './jsonrpc.ts';
import type { Implementation } from './types.ts';

/** Capabilities a client declares. */
export interface ClientCapabilities {
  roots?: { listChanged?: boolean };
  sampling?: { context?: object; tools?: object };
  elicitation?: { form?: object; url?: object };
  tasks?: Record<string, unknown>;
  experimental?: Record<string, object>;
  extensions?: Record<string, object>;
}

/** Capabilities a server declares. */
export interface ServerCapabilities {
  prompts?: { listChanged?: boolean };
  resources?: { subscribe?: boolean; listChanged?: boolean };
  tools?: { listChanged?: boolean };
  logging?: object;
  /** @since 2025-03-26 */
  completions?: object;
  tasks?: Record<string, unknown>;
  experimental?: Record<string, object>;
  extensions?: Record<string, object>;
}

/** The params of `initialize`. */
export interface InitializeParams {
  protocolVersion: string;
  capabilities: ClientCapabilities;
  clientInfo: Implementation;
  _meta?: Meta;
}

/** The result of `initialize`. */
export interface InitializeResult {
  protocolVersion: string;
  capabilities: ServerCapabilities;
  serverInfo: Implementation;
  instructions?: string;
  _meta?: Meta;
  [key: string]: unknown;
}

/** The params of `notifications/progress`. */
export interface ProgressParams {
  progressToken: ProgressToken;
  progress: number;
  total?: number;
  /** @since 2025-03-26 */
  message?: string;
  _meta?: Meta;
}

/** The params of `notifications/cancelled`. */
export interface CancelledParams {
  requestId?: RequestId;
  reason?: string;
  _meta?: Meta;
}
