/**
 * What mcpkit/node's OAuth pieces (loopback redirect, token file) build on: the OAuth client's
 * redirect, its errors, the token store and the loopback check. A second, light entry of this
 * folder, so that loading mcpkit/node does not load the resource server, the development
 * authorization server, jose or the OAuth client's flows and oauth4webapi (everything here is in
 * `index.ts` too).
 */

export { OAuthFlowError } from './errors.ts';
export {
  type AuthorizationRedirect,
  type AuthorizationResult,
  authorizationResultFrom,
} from './redirect.ts';
export { isLoopbackHost } from './resource-uri.ts';
export { MemoryTokenStore, type TokenStoreData } from './token-store.ts';
