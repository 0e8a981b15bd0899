/**
 * MCP's data types, as one superset of every revision. A field that only some revisions have says
 * since when in its doc comment; `shape.ts` drops fields a peer's revision lacks before sending.
 */
import type { Meta, ProgressToken, RequestId } from './jsonrpc.ts';

/** A JSON Schema object, kept exactly as written. */
export type JsonSchema = Record<string, unknown>;

/** An icon (2025-11-25). */
export interface Icon {
  src: string;
  mimeType?: string;
  sizes?: string[];
  theme?: 'light' | 'dark';
}

/** Name and version of a client or server. */
export interface Implementation {
  name: string;
  version: string;
  /** @since 2025-06-18 */
  title?: string;
  /** @since 2025-11-25 */
  description?: string;
  /** @since 2025-11-25 */
  icons?: Icon[];
  /** @since 2025-11-25 */
  websiteUrl?: string;
}

/** Who a piece of content is for. */
export type Role = 'user' | 'assistant';

/** Hints for the client about content. */
export interface Annotations {
  audience?: Role[];
  priority?: number;
  /** @since 2025-06-18 */
  lastModified?: string;
}

/** Text content. */
export interface TextContent {
  type: 'text';
  text: string;
  annotations?: Annotations;
  _meta?: Meta;
}

/** An image, base64. */
export interface ImageContent {
  type: 'image';
  data: string;
  mimeType: string;
  annotations?: Annotations;
  _meta?: Meta;
}

/** Audio, base64. @since 2025-03-26 */
export interface AudioContent {
  type: 'audio';
  data: string;
  mimeType: string;
  annotations?: Annotations;
  _meta?: Meta;
}

/** The text contents of a resource. */
export interface TextResourceContents {
  uri: string;
  mimeType?: string;
  text: string;
  _meta?: Meta;
}

/** The binary contents of a resource, base64. */
export interface BlobResourceContents {
  uri: string;
  mimeType?: string;
  blob: string;
  _meta?: Meta;
}

/** The contents of a resource. */
export type ResourceContents = TextResourceContents | BlobResourceContents;

/** A resource embedded in content. */
export interface EmbeddedResource {
  type: 'resource';
  resource: ResourceContents;
  annotations?: Annotations;
  _meta?: Meta;
}

/** A resource a client can read. */
export interface Resource {
  uri: string;
  name: string;
  /** @since 2025-06-18 */
  title?: string;
  description?: string;
  mimeType?: string;
  size?: number;
  annotations?: Annotations;
  /** @since 2025-11-25 */
  icons?: Icon[];
  _meta?: Meta;
}

/** A link to a resource. @since 2025-06-18 */
export interface ResourceLink extends Resource {
  type: 'resource_link';
}

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

/** A content block in tool results and prompt messages. */
export type ContentBlock = TextContent | ImageContent | AudioContent | ResourceLink | EmbeddedResource;

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

/** The params of `notifications/message`. */
export interface LoggingMessageParams {
  level: LoggingLevel;
  logger?: string;
  data: unknown;
  _meta?: Meta;
}

/** The params of `notifications/cancelled`. */
export interface CancelledParams {
  requestId?: RequestId;
  reason?: string;
  _meta?: Meta;
}

/** A page of a list. */
export interface Page {
  nextCursor?: string;
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

/** The result of `roots/list`. */
export interface ListRootsResult {
  roots: Root[];
  _meta?: Meta;
  [key: string]: unknown;
}

/** An empty result, as for `ping` and `logging/setLevel`. */
export type EmptyResult = Record<string, never>;
