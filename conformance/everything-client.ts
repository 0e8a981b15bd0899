/**
 * The everything-client of the conformance suite. The client runner starts it as
 * `node conformance/everything-client.ts <server-url>` with `MCP_CONFORMANCE_SCENARIO` (and, for some
 * scenarios, `MCP_CONFORMANCE_CONTEXT` and `MCP_CONFORMANCE_PROTOCOL_VERSION`) set; it runs that
 * scenario with mcpkit's public client API and exits 0 on success.
 */
import { authorizedSession, isAuthScenario } from './client-auth.ts';
import type { ScenarioEnv, ScenarioRun } from './client-connect.ts';
import {
  clientRequestState,
  elicitationDefaults,
  httpCustomHeaders,
  httpInvalidToolHeaders,
  httpStandardHeaders,
  initialize,
  jsonSchemaPreservation,
  jsonSchemaRefNoDeref,
  requestMetadata,
  sseRetry,
  toolsCall,
} from './client-scenarios.ts';
import { skillsNoPrefetch, skillsVerify } from './client-skills.ts';

/** Every scenario this client knows, by the runner's name for it (and every `auth/*` one: see client-auth.ts). */
export const SCENARIOS: Readonly<Record<string, ScenarioRun>> = {
  initialize,
  tools_call: toolsCall,
  'elicitation-sep1034-client-defaults': elicitationDefaults,
  'sse-retry': sseRetry,
  'request-metadata': requestMetadata,
  'sep-2322-client-request-state': clientRequestState,
  'http-standard-headers': httpStandardHeaders,
  'http-custom-headers': httpCustomHeaders,
  'http-invalid-tool-headers': httpInvalidToolHeaders,
  'json-schema-ref-no-deref': jsonSchemaRefNoDeref,
  'json-schema-2020-12-preservation': jsonSchemaPreservation,
  'sep-2640-client-no-prefetch': skillsNoPrefetch,
  'sep-2640-client-verify-digest': skillsVerify,
  'sep-2640-client-verify-size': skillsVerify,
  'sep-2640-client-verify-frontmatter': skillsVerify,
};

function readEnv(): ScenarioEnv {
  const url = process.argv[process.argv.length - 1];
  if (!url || !/^https?:\/\//.test(url)) throw new Error('Usage: everything-client.ts <server-url>');
  const raw = process.env.MCP_CONFORMANCE_CONTEXT;
  return {
    url,
    scenario: process.env.MCP_CONFORMANCE_SCENARIO ?? '',
    protocolVersion: process.env.MCP_CONFORMANCE_PROTOCOL_VERSION || undefined,
    context: raw ? (JSON.parse(raw) as Record<string, unknown>) : {},
  };
}

async function main(): Promise<number> {
  const env = readEnv();
  const run = SCENARIOS[env.scenario] ?? (isAuthScenario(env.scenario) ? authorizedSession : undefined);
  if (!run) {
    console.error(`everything-client: unknown scenario '${env.scenario}'.`);
    return 2;
  }
  await run(env);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('everything-client:', error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
