/** mcpkit: the Model Context Protocol for TypeScript. Runtime-neutral entry point. */
export * from './client/index.ts';
export * from './protocol/index.ts';
export type {
  AuthInfo,
  Middleware,
  MiddlewareRequest,
  RequestOptions,
  Transport,
  TransportSink,
} from './rpc/index.ts';
export { compileSchema, type SchemaInput } from './schema/index.ts';
export * from './server/index.ts';
export * from './transport/index.ts';
