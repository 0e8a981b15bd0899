/** The server: McpServer, its registrations and the handler context. */

export type { Registered } from './catalog.ts';
export * from './context.ts';
export type { Mount, MountOptions, UriPrefixStyle } from './mount.ts';
export type { PromptDefinition, PromptHandler, PromptReturn } from './prompts.ts';
export type { Completer, ReadReturn, ResourceDefinition, ResourceTemplateDefinition } from './resources.ts';
export * from './server.ts';
export { ServerSession } from './session.ts';
export type { InferArgs, ToolDefinition, ToolHandler, ToolReturn } from './tools.ts';
export { UriTemplate } from './uri-template.ts';
