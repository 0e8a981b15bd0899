/**
 * Node adapters: stdio process transports, the node:http listener, and the OAuth client's Node
 * pieces (loopback redirect, token file, DNS check). The development authorization server is not
 * here (`npm run auth-server`, `mcpkit serve --auth`, or `createDevAuthorizationServer` in
 * `mcpkit/auth`), so that a stdio server does not load it.
 */

export * from './browser.ts';
export * from './http.ts';
export * from './oauth-loopback.ts';
export * from './stdio-client.ts';
export * from './stdio-server.ts';
export * from './telemetry.ts';
