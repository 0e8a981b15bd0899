/**
 * The data types of the client features: roots, sampling (with its tool use and tool result
 * content) and elicitation. Revision notes as in `types.ts`.
 */
import type { Meta } from './jsonrpc.ts';
import type { Tool } from './server-features.ts';
import type { AudioContent, ContentBlock, ImageContent, Role, TextContent } from './types.ts';

/** A tool call by the model, inside sampling. @since 2025-11-25 */
export interface ToolUseContent {
  type: 'tool_use';
  id: string;
  name: string;
  input: Record<string, unknown>;
  _meta?: Meta;
}

/** The answer to a tool call, inside sampling. @since 2025-11-25 */
export interface ToolResultContent {
  type: 'tool_result';
  toolUseId: string;
  content: ContentBlock[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
  _meta?: Meta;
}

/** A root the client exposes. */
export interface Root {
  uri: string;
  name?: string;
  _meta?: Meta;
}

/** A message in a sampling request. */
export interface SamplingMessage {
  role: Role;
  content:
    | TextContent
    | ImageContent
    | AudioContent
    | ToolUseContent
    | ToolResultContent
    | Array<TextContent | ImageContent | AudioContent | ToolUseContent | ToolResultContent>;
  _meta?: Meta;
}

/** What the server would like from the model. */
export interface ModelPreferences {
  hints?: Array<{ name?: string }>;
  costPriority?: number;
  speedPriority?: number;
  intelligencePriority?: number;
}

/** The params of `sampling/createMessage`. */
export interface CreateMessageParams {
  messages: SamplingMessage[];
  modelPreferences?: ModelPreferences;
  systemPrompt?: string;
  includeContext?: 'none' | 'thisServer' | 'allServers';
  temperature?: number;
  maxTokens: number;
  stopSequences?: string[];
  metadata?: Record<string, unknown>;
  /** @since 2025-11-25 */
  tools?: Tool[];
  /** @since 2025-11-25 */
  toolChoice?: { mode?: 'auto' | 'required' | 'none' };
  _meta?: Meta;
}

/** The result of `sampling/createMessage`. */
export interface CreateMessageResult {
  role: Role;
  content: SamplingMessage['content'];
  model: string;
  stopReason?: string;
  _meta?: Meta;
  [key: string]: unknown;
}

/** A primitive in an elicitation form schema. */
export type PrimitiveSchema = Record<string, unknown> & {
  type: 'string' | 'number' | 'integer' | 'boolean' | 'array';
};

/** The params of `elicitation/create` in form mode. @since 2025-06-18 */
export interface ElicitFormParams {
  /** @since 2025-11-25 (form is the default when absent) */
  mode?: 'form';
  message: string;
  requestedSchema: {
    $schema?: string;
    type: 'object';
    properties: Record<string, PrimitiveSchema>;
    required?: string[];
  };
  _meta?: Meta;
}

/** The params of `elicitation/create` in URL mode. @since 2025-11-25 */
export interface ElicitUrlParams {
  mode: 'url';
  message: string;
  url: string;
  elicitationId: string;
  _meta?: Meta;
}

/** The params of `elicitation/create`. */
export type ElicitParams = ElicitFormParams | ElicitUrlParams;

/** The result of `elicitation/create`. */
export interface ElicitResult {
  action: 'accept' | 'decline' | 'cancel';
  content?: Record<string, string | number | boolean | string[]>;
  _meta?: Meta;
  [key: string]: unknown;
}

/** The result of `roots/list`. */
export interface ListRootsResult {
  roots: Root[];
  _meta?: Meta;
  [key: string]: unknown;
}
