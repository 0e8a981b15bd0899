/** How the everything-client connects: the era comes from the runner, the rest from mcpkit's API. */
import { McpClient, type McpClientOptions } from '../src/client/index.ts';
import { MODERN_REVISION } from '../src/index.ts';
import { type StreamableHttpClientOptions, StreamableHttpClientTransport } from '../src/transport/index.ts';

/** The environment the client runner gives each scenario. */
export interface ScenarioEnv {
  /** The mock server's URL (the last command-line argument). */
  url: string;
  /** `MCP_CONFORMANCE_SCENARIO`. */
  scenario: string;
  /** `MCP_CONFORMANCE_PROTOCOL_VERSION`, when the runner set it. */
  protocolVersion: string | undefined;
  /** `MCP_CONFORMANCE_CONTEXT`, parsed (an empty object when absent). */
  context: Record<string, unknown>;
}

/** One scenario of the client runner. */
export type ScenarioRun = (env: ScenarioEnv) => Promise<void>;

/** True when the runner asked for the stateless 2026-07-28 wire. */
export function isModern(env: ScenarioEnv): boolean {
  return env.protocolVersion === MODERN_REVISION;
}

/** Connects an McpClient over Streamable HTTP in the era the runner asked for. */
export async function connect(
  env: ScenarioEnv,
  options: McpClientOptions = {},
  transport: StreamableHttpClientOptions = {},
): Promise<McpClient> {
  const client = new McpClient({
    name: 'mcpkit-conformance-client',
    version: '0.1.0',
    era: isModern(env) ? 'modern' : 'legacy',
    ...options,
  });
  await client.connect(new StreamableHttpClientTransport(env.url, transport));
  return client;
}

/** Runs `body` with a connected client and always closes it. */
export async function withClient(
  env: ScenarioEnv,
  body: (client: McpClient) => Promise<void>,
  options?: McpClientOptions,
  transport?: StreamableHttpClientOptions,
): Promise<void> {
  const client = await connect(env, options, transport);
  try {
    await body(client);
  } finally {
    await client.close();
  }
}
