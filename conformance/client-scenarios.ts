/**
 * The everything-client's scenarios that need no authorization: one function per scenario of the
 * client runner, each driving mcpkit's public client API against the runner's mock server.
 */
import type { ElicitParams, ElicitResult } from '../src/index.ts';
import { type ScenarioRun, withClient } from './client-connect.ts';

/** A form answer for any elicitation: the schema's defaults are filled in by the client. */
function acceptForm(params: ElicitParams): ElicitResult {
  const schema = (params as { requestedSchema?: { properties?: Record<string, { type?: string }> } })
    .requestedSchema;
  const content: Record<string, string | number | boolean> = {};
  for (const [name, prop] of Object.entries(schema?.properties ?? {})) {
    if (prop.type === 'boolean') content[name] = true;
    else if (prop.type === 'number' || prop.type === 'integer') content[name] = 1;
    else if (prop.type === 'string') content[name] = 'conformance';
  }
  return { action: 'accept', content };
}

/** `initialize`: the handshake, a tool listing when tools are offered, and a clean close. */
export const initialize: ScenarioRun = (env) =>
  withClient(env, async (client) => {
    if (client.serverCapabilities.tools) await client.listTools();
  });

/** `tools_call`: list the tools, then call `add_numbers` with two numbers. */
export const toolsCall: ScenarioRun = (env) =>
  withClient(env, async (client) => {
    const { tools } = await client.listTools();
    const tool = tools.find((t) => t.name === 'add_numbers') ?? tools[0];
    if (!tool) throw new Error('The server lists no tools.');
    await client.callTool(tool.name, { a: 5, b: 3 });
  });

/** `elicitation-sep1034-client-defaults`: accept with empty content; the client fills the defaults. */
export const elicitationDefaults: ScenarioRun = (env) =>
  withClient(
    env,
    async (client) => {
      await client.listTools();
      await client.callTool('test_client_elicitation_defaults', {});
    },
    { handlers: { elicitation: () => ({ action: 'accept', content: {} }) } },
  );

/** `sse-retry`: the call's stream ends without an answer; the transport resumes it after `retry`. */
export const sseRetry: ScenarioRun = (env) =>
  withClient(env, async (client) => {
    await client.listTools();
    await client.callTool('test_reconnection', {});
  });

/**
 * `request-metadata`: the first request is refused with -32022 and retried by the client; then one
 * more request (tools/list when offered, else another server/discover).
 */
export const requestMetadata: ScenarioRun = (env) =>
  withClient(env, async (client) => {
    if (client.serverCapabilities.tools) await client.listTools();
    else await client.ping();
  });

/** `sep-2322-client-request-state`: Multi Round-Trip Requests with and without requestState. */
export const clientRequestState: ScenarioRun = (env) =>
  withClient(
    env,
    async (client) => {
      await client.listTools();
      await client.callTool('test_mrtr_echo_state', {});
      await client.callTool('test_mrtr_no_state', {});
      await client.callTool('test_mrtr_unrelated', {});
      await client.callTool('test_mrtr_no_result_type', {});
    },
    { handlers: { elicitation: acceptForm }, cache: false },
  );

/** `http-standard-headers`: one request of each method that carries `Mcp-Method`/`Mcp-Name`. */
export const httpStandardHeaders: ScenarioRun = (env) =>
  withClient(
    env,
    async (client) => {
      const { tools } = await client.listTools();
      for (const tool of tools) await client.callTool(tool.name, {});
      const { resources } = await client.listResources();
      for (const resource of resources) await client.readResource(resource.uri);
      const { prompts } = await client.listPrompts();
      for (const prompt of prompts) await client.getPrompt(prompt.name, {});
    },
    { validateOutput: false },
  );

/** `http-custom-headers`: make the tool calls the runner lists, with exactly its arguments. */
export const httpCustomHeaders: ScenarioRun = (env) =>
  withClient(env, async (client) => {
    await client.listTools();
    const calls = (env.context.toolCalls ?? []) as Array<{
      name: string;
      arguments?: Record<string, unknown>;
    }>;
    for (const call of calls) await client.callTool(call.name, call.arguments ?? {});
  });

/** `http-invalid-tool-headers`: the client drops tools with invalid headers; call all the rest. */
export const httpInvalidToolHeaders: ScenarioRun = (env) =>
  withClient(env, async (client) => {
    const { tools } = await client.listTools();
    for (const tool of tools) await client.callTool(tool.name, { region: 'us-west1' });
  });

/** `json-schema-ref-no-deref`: list tools; a network `$ref` must never be fetched. */
export const jsonSchemaRefNoDeref: ScenarioRun = (env) =>
  withClient(env, async (client) => {
    await client.listTools();
  });

/** `json-schema-2020-12-preservation`: echo the listed 2020-12 schema back verbatim. */
export const jsonSchemaPreservation: ScenarioRun = (env) =>
  withClient(env, async (client) => {
    const { tools } = await client.listTools();
    const focal = tools.find((t) => t.name === 'json_schema_2020_12_tool');
    if (!focal) throw new Error("The server does not list 'json_schema_2020_12_tool'.");
    await client.callTool('json_schema_echo', { schema: focal.inputSchema });
  });
