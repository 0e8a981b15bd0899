/** The server side of MCP over HTTP: one web-standard handler for Streamable HTTP and HTTP+SSE. */

export { newSessionId, randomToken } from '../store/index.ts';
export { type Caller, type HttpAuth, principalOf, withoutCredentials } from './auth.ts';
export { accepts, isJsonContentType } from './body.ts';
export { checkHostAndOrigin, DEFAULT_ALLOWED_HOSTS, type OriginPolicy } from './guard.ts';
export { createHttpHandler, type HttpHandler } from './handler.ts';
export type { HttpMessageInfo } from './info.ts';
export type { BroadcastListener, HostBroadcast, HttpHandlerOptions, SessionHost } from './options.ts';
export { LegacySseSession } from './sessions/legacy-session.ts';
export { StreamableSession } from './sessions/session.ts';
export {
  formatEvent,
  SseConnection,
  type SseConnectionOptions,
  type SseSink,
  sseResponse,
} from './sse.ts';
