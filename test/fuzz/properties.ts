/** Every fuzz group, in the order the long run prints them. */
import { headersFuzz } from './headers.ts';
import { httpBodyFuzz, httpGuardFuzz, httpModernFuzz } from './http.ts';
import { jsonrpcFuzz } from './jsonrpc.ts';
import { oauthFuzz } from './oauth.ts';
import { oauthFlowsFuzz } from './oauth-flows.ts';
import { peerFuzz } from './peer.ts';
import { requestStateFuzz } from './request-state.ts';
import type { FuzzGroup } from './runner.ts';
import { schemaFuzz } from './schema.ts';
import { serverFuzz } from './server.ts';
import { sseFuzz } from './sse.ts';
import { stdioFuzz } from './stdio.ts';
import { uriTemplateFuzz } from './uri-template.ts';

/** The fuzz groups, one per parser. */
export const FUZZ_GROUPS: readonly FuzzGroup[] = [
  stdioFuzz,
  jsonrpcFuzz,
  peerFuzz,
  serverFuzz,
  sseFuzz,
  uriTemplateFuzz,
  requestStateFuzz,
  schemaFuzz,
  headersFuzz,
  httpBodyFuzz,
  httpGuardFuzz,
  httpModernFuzz,
  oauthFuzz,
  oauthFlowsFuzz,
];
