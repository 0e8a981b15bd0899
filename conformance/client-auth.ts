/**
 * The everything-client's authorization scenarios (`auth/*`): one OAuth client built from the
 * scenario's name and context with mcpkit's public auth API, then an ordinary session through it
 * (list the tools, call the first one). The runner's mock authorization servers approve without a
 * user, so the authorization step is `headlessRedirect()`.
 */
import { createOAuthClient, headlessRedirect, type OAuthClientOptions } from '../src/auth/index.ts';
import { type ScenarioEnv, type ScenarioRun, withClient } from './client-connect.ts';

/** The redirect URI the client registers (the mocks redirect there without following it). */
const REDIRECT_URI = 'http://localhost:3000/callback';

/** The Client ID Metadata Document URL the suite's CIMD scenarios expect as the client id. */
const CLIENT_METADATA_URL = 'https://conformance-test.local/client-metadata.json';

/** A string field of the scenario context, or an error naming what is missing. */
function field(env: ScenarioEnv, name: string): string {
  const value = env.context[name];
  if (typeof value !== 'string' || value === '') {
    throw new Error(`Scenario ${env.scenario} needs '${name}' in MCP_CONFORMANCE_CONTEXT.`);
  }
  return value;
}

/** A string field of the scenario context, when present. */
function optional(env: ScenarioEnv, name: string): string | undefined {
  const value = env.context[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The OAuth client options one scenario calls for. */
export function oauthOptionsFor(env: ScenarioEnv): OAuthClientOptions {
  const options: OAuthClientOptions = {
    serverUrl: env.url,
    redirectUri: REDIRECT_URI,
    redirect: headlessRedirect(),
    // The mocks listen on localhost: their metadata and endpoints are loopback URLs.
    allowLoopback: true,
    clientMetadataUrl: CLIENT_METADATA_URL,
    clientMetadata: { client_name: 'mcpkit-conformance-client' },
  };
  const secret = optional(env, 'client_secret');
  switch (env.scenario) {
    case 'auth/pre-registration': {
      const issuer = optional(env, 'issuer');
      options.preRegistered = {
        clientId: field(env, 'client_id'),
        ...(secret ? { clientSecret: secret } : {}),
        ...(issuer ? { issuer } : {}),
      };
      break;
    }
    case 'auth/client-credentials-basic':
      options.grant = { type: 'client_credentials' };
      options.preRegistered = {
        clientId: field(env, 'client_id'),
        clientSecret: field(env, 'client_secret'),
      };
      break;
    case 'auth/client-credentials-jwt':
      options.grant = { type: 'client_credentials' };
      options.preRegistered = {
        clientId: field(env, 'client_id'),
        tokenEndpointAuthMethod: 'private_key_jwt',
      };
      options.privateKey = {
        key: field(env, 'private_key_pem'),
        alg: optional(env, 'signing_algorithm') ?? 'ES256',
      };
      break;
    case 'auth/enterprise-managed-authorization': {
      const idToken = field(env, 'idp_id_token');
      options.grant = {
        type: 'id_jag',
        idpTokenEndpoint: field(env, 'idp_token_endpoint'),
        idpClientId: field(env, 'idp_client_id'),
        idToken: () => idToken,
      };
      options.preRegistered = {
        clientId: field(env, 'client_id'),
        ...(secret ? { clientSecret: secret } : {}),
      };
      break;
    }
    case 'auth/wif-jwt-bearer': {
      const assertion = field(env, 'valid_jwt');
      options.grant = { type: 'jwt_bearer', assertion: () => assertion };
      options.preRegistered = { clientId: field(env, 'client_id') };
      break;
    }
    case 'auth/dpop':
    case 'auth/dpop-nonce':
      options.dpop = true;
      break;
  }
  return options;
}

/** Any `auth/*` scenario: authorize as the scenario asks, then list the tools and call the first one. */
export const authorizedSession: ScenarioRun = (env) => {
  const oauth = createOAuthClient(oauthOptionsFor(env));
  return withClient(
    env,
    async (client) => {
      const { tools } = await client.listTools();
      const tool = tools[0];
      if (tool) await client.callTool(tool.name, {});
    },
    {},
    { ...oauth.transportOptions(), openGetStream: false },
  );
};

/** Whether a scenario name is one of the authorization scenarios. */
export function isAuthScenario(name: string): boolean {
  return name.startsWith('auth/');
}
