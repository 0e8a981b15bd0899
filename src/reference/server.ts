/**
 * The reference server: every feature of the SDK, with the tool, resource and prompt names of the
 * official conformance suite. `npm run serve:stdio` and `npm start` serve it.
 */
import { McpServer, type McpServerOptions } from '../server/index.ts';
import { PNG_BASE64 } from './fixtures.ts';
import { registerModernTools } from './modern-tools.ts';
import {
  type ReferenceHooks,
  registerClientRequestTools,
  registerContentTools,
  registerStreamingTools,
} from './tools.ts';

export type { ReferenceHooks } from './tools.ts';

/** Builds the reference server. */
export function createReferenceServer(
  hooks: ReferenceHooks = {},
  options: Partial<McpServerOptions> = {},
): McpServer {
  const server = new McpServer({
    name: 'mcpkit-reference-server',
    version: '0.1.0',
    title: 'mcpkit reference server',
    description: 'Shows every feature of mcpkit; names follow the MCP conformance suite.',
    websiteUrl: 'https://github.com/mcpkit/mcpkit',
    instructions: 'A test server: every tool, resource and prompt exists to exercise one protocol feature.',
    ...options,
  });
  registerContentTools(server);
  registerStreamingTools(server, hooks);
  registerClientRequestTools(server);
  registerModernTools(server);
  registerResources(server);
  registerPrompts(server);
  return server;
}

function registerResources(server: McpServer): void {
  server.resource(
    'test://static-text',
    {
      name: 'static-text',
      title: 'Static text',
      description: 'A static text resource.',
      mimeType: 'text/plain',
    },
    () => 'This is the content of the static text resource.',
  );
  server.resource(
    'test://static-binary',
    { name: 'static-binary', description: 'A static binary resource (a PNG).', mimeType: 'image/png' },
    (uri) => ({ uri, mimeType: 'image/png', blob: PNG_BASE64 }),
  );
  let version = 0;
  server.resource(
    'test://watched-resource',
    { name: 'watched-resource', description: 'A resource to subscribe to.', mimeType: 'text/plain' },
    () => `Watched resource, version ${version}.`,
  );
  server.tool(
    'test_update_watched_resource',
    {
      description: 'Changes test://watched-resource and notifies subscribers.',
      input: { type: 'object', properties: {} },
    },
    async () => {
      version++;
      await server.resourceUpdated('test://watched-resource');
      return `Watched resource is now at version ${version}.`;
    },
  );
  server.resourceTemplate(
    'test://template/{id}/data',
    {
      name: 'template-data',
      description: 'Data for any id.',
      mimeType: 'application/json',
      complete: { id: (value) => ['1', '2', '3', '123'].filter((v) => v.startsWith(value)) },
    },
    (_uri, vars) =>
      JSON.stringify({ id: String(vars.id), templateTest: true, data: `Data for ID: ${String(vars.id)}` }),
  );
}

function registerPrompts(server: McpServer): void {
  server.prompt('test_simple_prompt', { description: 'A prompt without arguments.' }, () => [
    { role: 'user', content: { type: 'text', text: 'This is a simple prompt for testing.' } },
  ]);
  server.prompt(
    'test_prompt_with_arguments',
    {
      description: 'A prompt with two required arguments.',
      arguments: [
        { name: 'arg1', description: 'First test argument', required: true },
        { name: 'arg2', description: 'Second test argument', required: true },
      ],
      complete: {
        arg1: (value) => ['test', 'testValue1', 'other'].filter((v) => v.startsWith(value)),
        arg2: (value) => ['testValue2'].filter((v) => v.startsWith(value)),
      },
    },
    (args) => [
      {
        role: 'user',
        content: { type: 'text', text: `Prompt with arguments: arg1='${args.arg1}', arg2='${args.arg2}'` },
      },
    ],
  );
  server.prompt(
    'test_prompt_with_embedded_resource',
    {
      description: 'A prompt that embeds a resource.',
      arguments: [{ name: 'resourceUri', description: 'URI of the resource to embed', required: true }],
    },
    (args) => [
      {
        role: 'user',
        content: {
          type: 'resource',
          resource: {
            uri: args.resourceUri,
            mimeType: 'text/plain',
            text: 'Embedded resource content for testing.',
          },
        },
      },
      { role: 'user', content: { type: 'text', text: 'Please process the embedded resource above.' } },
    ],
  );
  server.prompt('test_prompt_with_image', { description: 'A prompt with an image.' }, () => [
    { role: 'user', content: { type: 'image', data: PNG_BASE64, mimeType: 'image/png' } },
    { role: 'user', content: { type: 'text', text: 'Please analyze the image above.' } },
  ]);
}
