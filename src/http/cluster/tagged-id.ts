/**
 * The ids of server→client requests in cluster mode: on the wire a request's id is tagged with the
 * node whose peer sent it (`n.<node id>.<id>`), so that whichever node receives the client's answer
 * can route it to the node waiting for it.
 */
import type { RequestId } from '../../protocol/index.ts';

/** The id a server→client request carries on the wire in cluster mode: it names the node waiting. */
const TAGGED_ID = /^n\.([0-9a-z]+)\.([0-9]+)$/;

/** The id the request `id` of the peer on node `nodeId` carries on the wire. */
export function tagId(nodeId: string, id: RequestId): string {
  return `n.${nodeId}.${String(id)}`;
}

/** The node a client's answer belongs to, and the id the peer there gave the request. */
export function untagId(id: RequestId): { nodeId: string; id: number } | undefined {
  if (typeof id !== 'string') return undefined;
  const m = TAGGED_ID.exec(id);
  return m ? { nodeId: m[1] as string, id: Number(m[2]) } : undefined;
}
