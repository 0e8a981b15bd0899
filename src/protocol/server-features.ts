/**
 * The data types of the server features: tools, resources and their templates, prompts,
 * completion and logging, with their list results. Revision notes as in `types.ts`.
 */
import type { Meta } from './jsonrpc.ts';
import type {
  Annotations,
  ContentBlock,
  Icon,
  JsonSchema,
  Page,
  Resource,
  ResourceContents,
  Role,
} from './types.ts';

/** Hints about a tool's behaviour. @since 2025-03-26 */
export interface ToolAnnotations {
  title?: string;
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

/** A tool as listed. */
export interface Tool {
  name: string;
  /** @since 2025-06-18 */
  title?: string;
  description?: string;
  inputSchema: JsonSchema;
  /** @since 2025-06-18 */
  outputSchema?: JsonSchema;
  /** @since 2025-03-26 */
  annotations?: ToolAnnotations;
  /** @since 2025-11-25 */
  icons?: Icon[];
  /** @since 2025-11-25 */
  execution?: { taskSupport?: 'forbidden' | 'optional' | 'required' };
  _meta?: Meta;
}

/** The result of `tools/call`. */
export interface CallToolResult {
  content: ContentBlock[];
  /** @since 2025-06-18 */
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
  _meta?: Meta;
  [key: string]: unknown;
}

/** A resource template (RFC 6570). */
export interface ResourceTemplate {
  uriTemplate: string;
  name: string;
  /** @since 2025-06-18 */
  title?: string;
  description?: string;
  mimeType?: string;
  annotations?: Annotations;
  /** @since 2025-11-25 */
  icons?: Icon[];
  _meta?: Meta;
}

/** The result of `resources/read`. */
export interface ReadResourceResult {
  contents: ResourceContents[];
  _meta?: Meta;
  [key: string]: unknown;
}

/** An argument a prompt takes. */
export interface PromptArgument {
  name: string;
  /** @since 2025-06-18 */
  title?: string;
  description?: string;
  required?: boolean;
}

/** A prompt as listed. */
export interface Prompt {
  name: string;
  /** @since 2025-06-18 */
  title?: string;
  description?: string;
  arguments?: PromptArgument[];
  /** @since 2025-11-25 */
  icons?: Icon[];
  _meta?: Meta;
}

/** A message in a prompt. */
export interface PromptMessage {
  role: Role;
  content: ContentBlock;
}

/** The result of `prompts/get`. */
export interface GetPromptResult {
  description?: string;
  messages: PromptMessage[];
  _meta?: Meta;
  [key: string]: unknown;
}

/** A reference to a prompt, for completion. */
export interface PromptReference {
  type: 'ref/prompt';
  name: string;
  /** @since 2025-06-18 */
  title?: string;
}

/** A reference to a resource template, for completion. */
export interface ResourceTemplateReference {
  type: 'ref/resource';
  uri: string;
}

/** The params of `completion/complete`. */
export interface CompleteParams {
  ref: PromptReference | ResourceTemplateReference;
  argument: { name: string; value: string };
  /** @since 2025-06-18 */
  context?: { arguments?: Record<string, string> };
  _meta?: Meta;
}

/** The result of `completion/complete`. */
export interface CompleteResult {
  completion: { values: string[]; total?: number; hasMore?: boolean };
  _meta?: Meta;
  [key: string]: unknown;
}

/** Syslog levels, lowest first. */
export const LOGGING_LEVELS = [
  'debug',
  'info',
  'notice',
  'warning',
  'error',
  'critical',
  'alert',
  'emergency',
] as const;

/** A logging level. */
export type LoggingLevel = (typeof LOGGING_LEVELS)[number];

/** The params of `notifications/message`. */
export interface LoggingMessageParams {
  level: LoggingLevel;
  logger?: string;
  data: unknown;
  _meta?: Meta;
}

/** The result of `tools/list`. */
export interface ListToolsResult extends Page {
  tools: Tool[];
  [key: string]: unknown;
}

/** The result of `resources/list`. */
export interface ListResourcesResult extends Page {
  resources: Resource[];
  [key: string]: unknown;
}

/** The result of `resources/templates/list`. */
export interface ListResourceTemplatesResult extends Page {
  resourceTemplates: ResourceTemplate[];
  [key: string]: unknown;
}

/** The result of `prompts/list`. */
export interface ListPromptsResult extends Page {
  prompts: Prompt[];
  [key: string]: unknown;
}
