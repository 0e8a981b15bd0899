/**
 * The messages the nodes of a cluster send each other on the bus (channel `node:<node id>` for one
 * node, `all` for every node), one JSON object each: a message for a session, the end of a session,
 * a broadcast for HTTP+SSE sessions, or the loss of a session's GET lease.
 */
import type { AuthInfo } from '../../rpc/index.ts';
import type { HostBroadcast } from '../options.ts';

/** A message on the bus. */
export interface Envelope {
  /** Session id. */
  s: string;
  /** The message (or batch) to deliver. */
  m?: unknown;
  /** The node that published it. */
  from?: string;
  /** The session has ended. */
  closed?: true;
  /** The authenticated principal who sent `m` (HTTP+SSE messages, with the `auth` option). */
  a?: AuthInfo;
  /** A broadcast for the HTTP+SSE sessions `ids` of the receiving node. */
  b?: HostBroadcast;
  ids?: string[];
  /** The owner of the session's GET lease whose connection must end (another GET took it over). */
  lost?: string;
}
