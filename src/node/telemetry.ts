/**
 * OpenTelemetry export from the standard `OTEL_*` environment variables, for `npm start` and
 * `mcpkit serve`: when any exporter variable is set (and `OTEL_SDK_DISABLED` is not `true`), the
 * OpenTelemetry Node SDK (`@opentelemetry/sdk-node`, an optional peer dependency loaded only then)
 * starts with its usual reading of those variables, and the caller instruments its server.
 */

/** Whether the environment asks for OpenTelemetry export. */
export function telemetryRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.OTEL_SDK_DISABLED?.toLowerCase() === 'true') return false;
  return Object.keys(env).some(
    (key) =>
      key.startsWith('OTEL_EXPORTER_') || key === 'OTEL_TRACES_EXPORTER' || key === 'OTEL_METRICS_EXPORTER',
  );
}

/**
 * Starts the OpenTelemetry Node SDK when the environment asks for it; resolves with its shutdown
 * (which flushes what is buffered), or undefined when nothing was asked. Throws an Error saying what
 * to install when the SDK is missing.
 */
export async function startTelemetryFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): Promise<(() => Promise<void>) | undefined> {
  if (!telemetryRequested(env)) return undefined;
  let sdk: typeof import('@opentelemetry/sdk-node');
  try {
    sdk = await import('@opentelemetry/sdk-node');
  } catch {
    throw new Error(
      'OTEL_* variables ask for OpenTelemetry export, but @opentelemetry/sdk-node is not installed: run `npm install @opentelemetry/api @opentelemetry/sdk-node`, or unset the OTEL_* variables.',
    );
  }
  const node = new sdk.NodeSDK(env.OTEL_SERVICE_NAME ? {} : { serviceName: 'mcpkit' });
  node.start();
  return () => node.shutdown();
}
