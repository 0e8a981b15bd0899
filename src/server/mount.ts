/**
 * What `McpServer.mount` takes and gives back (the work is done by mcpkit/compose, loaded on first
 * use): declared here so that the server does not import the folder above it.
 */
import type { McpClient } from '../client/index.ts';

/** Where a mount puts its prefix in resource URIs. */
export type UriPrefixStyle = 'scheme' | 'path';

/** Options of a mount. */
export interface MountOptions {
  /** Between the prefix and a tool or prompt name (default '_'). */
  separator?: string;
  /** Where the prefix goes in resource URIs: `prefix+test://a/b` ('scheme', the default) or `test://prefix/a/b` ('path'). */
  uriStyle?: UriPrefixStyle;
  /** Problems after the mount was made: a re-list that failed, a name that collided (default: console.error). */
  onError?: (error: Error) => void;
  /** Called when the child's connection closed; its entries are removed first. */
  onClose?: (reason: Error | undefined) => void;
}

/** A mounted child. */
export interface Mount {
  /** The prefix the child's names carry. */
  readonly prefix: string;
  /** The client that talks to the child. */
  readonly client: McpClient;
  /** Lists the child again and replaces its entries (what a list_changed from the child does). */
  refresh(): Promise<void>;
  /** Removes the child's entries; closes the connection when the mount opened it (an McpServer child). */
  unmount(): Promise<void>;
}
