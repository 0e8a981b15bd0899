/** Runtime-neutral transports. */
export * from './memory.ts';
export * from './sse-client.ts';
export * from './stdio.ts';
export * from './streamable-http.ts';
export * from './streamable-http-fallback.ts';
export * from './streamable-http-options.ts';
export {
  type FetchLike,
  type HeadersOption,
  type HttpClientBaseOptions,
  HttpStatusError,
} from './streamable-http-request.ts';
