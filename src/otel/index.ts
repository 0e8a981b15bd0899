/** OpenTelemetry for MCP servers and clients, by the semantic conventions for MCP (`@opentelemetry/api`). */
export { Attr, DURATION_BUCKETS, spanName } from './attributes.ts';
export {
  type ClientTelemetryOptions,
  INSTRUMENTATION_NAME,
  instrumentClient,
  instrumentServer,
  type TelemetryOptions,
} from './instrument.ts';
export { extractContext, injectContext } from './propagation.ts';
