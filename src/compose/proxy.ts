/**
 * A proxy: an McpServer that serves an upstream server as if it were local, in both eras whatever
 * the upstream speaks. It is a mount without a prefix, so transforms, middleware, authorization and
 * telemetry apply to its tools as to any others.
 */
import type { McpClient } from '../client/index.ts';
import { McpServer, type McpServerOptions } from '../server/index.ts';
import { type Mount, type MountOptions, mount } from './mount.ts';
import { type ToolTransform, transformTools } from './transforms.ts';

/** Options of a proxy server. */
export interface ProxyServerOptions
  extends Partial<McpServerOptions>,
    Pick<MountOptions, 'onError' | 'onClose'> {
  /** Transforms on the upstream's tools, keyed by their upstream names. */
  transforms?: Record<string, ToolTransform>;
}

/** A proxy server and the mount that feeds it. */
export interface ProxyServer {
  /** The server to connect transports or an HTTP handler to. */
  readonly server: McpServer;
  /** The upstream, mounted without a prefix. */
  readonly mount: Mount;
}

/**
 * Serves the server behind `client` (connected; best made with `createUpstreamClient` so that its
 * requests for input reach the downstream client). Name, version and instructions default to the
 * upstream's.
 */
export async function createProxyServer(
  client: McpClient,
  options: ProxyServerOptions = {},
): Promise<ProxyServer> {
  const { transforms, onError, onClose, ...serverOptions } = options;
  const upstream = client.serverInfo;
  const server = new McpServer({
    ...serverOptions,
    name: serverOptions.name ?? upstream.name,
    version: serverOptions.version ?? upstream.version,
    instructions: serverOptions.instructions ?? client.instructions,
  });
  if (transforms) transformTools(server, transforms);
  const mounted = await mount(server, '', client, { onError, onClose });
  return { server, mount: mounted };
}
