/**
 * Key and channel names with Redis Cluster hash tags: every key of one session (its record, the
 * claims of its request ids, its GET-stream lease) hashes on the session id, every stream of one
 * session on its stream prefix, so whatever one operation touches lives in one slot, and the
 * sessions spread over every primary. The tags cost nothing on a single Redis.
 */

/**
 * Tags a name `kind:id…` on its id (up to the first `:` or `.` after the kind):
 * `req:S:7` → `req:{S}:7`, `wake:P.get` → `wake:{P}.get`. A name without a kind is left as is.
 */
export function tagged(name: string): string {
  const colon = name.indexOf(':');
  if (colon < 0) return name;
  const rest = name.slice(colon + 1);
  const end = rest.search(/[:.]/);
  const id = end < 0 ? rest : rest.slice(0, end);
  if (id === '' || /[{}]/.test(id)) return name;
  return `${name.slice(0, colon + 1)}{${id}}${end < 0 ? '' : rest.slice(end)}`;
}

/** The key of a session record: `<prefix>session:{<id>}`. */
export function sessionKey(prefix: string, id: string): string {
  return `${prefix}${tagged(`session:${id}`)}`;
}

/** The key of a lease (`req:<session>:<request id>`, `get:<session>`), tagged on the session id. */
export function leaseKey(prefix: string, name: string): string {
  return `${prefix}lease:${tagged(name)}`;
}

/** The key of an event stream `<stream prefix>.<n>`, tagged on the stream prefix. */
export function streamKey(prefix: string, streamId: string): string {
  return `${prefix}stream:${tagged(`s:${streamId}`).slice(2)}`;
}

/** The name of a bus channel (`wake:<stream>`, `node:<node>`, `all`), tagged as a lease name. */
export function channelName(prefix: string, channel: string): string {
  return `${prefix}bus:${tagged(channel)}`;
}
