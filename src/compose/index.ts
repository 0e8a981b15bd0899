/** Servers composed from servers: mounts, proxies and tool transforms. */
export { type Mount, type MountOptions, mount } from './mount.ts';
export type { UriPrefixStyle } from './names.ts';
export { createProxyServer, type ProxyServer, type ProxyServerOptions } from './proxy.ts';
export { createUpstreamClient, relayOf, UpstreamRelay } from './relay.ts';
export {
  type ToolCallNext,
  type ToolTransform,
  type ToolWrapper,
  toolTransformHook,
  transformTools,
} from './transforms.ts';
