/**
 * The page's calls to the inspector's server. The page lives under /<token>/, so every relative
 * address carries the session token; the token is never stored anywhere else.
 */

/** An error the inspector's server reported, with its details. */
export class ApiError extends Error {
  constructor(error, status) {
    super(error?.message ?? `HTTP ${status}`);
    this.details = error?.details;
    this.code = error?.code;
    this.data = error?.data;
    this.status = status;
  }
}

async function answer(response) {
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(body.error, response.status);
  return body;
}

/** GETs `api/<path>`. */
export async function get(path) {
  return answer(await fetch(`api/${path}`, { credentials: 'same-origin' }));
}

/** POSTs JSON to `api/<path>`. */
export async function post(path, body = {}) {
  return answer(
    await fetch(`api/${path}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
  );
}

let calls = 0;

/** Sends one MCP request through the inspector; `callId` lets the page cancel it. */
export async function request(op, params = {}, callId = `call-${++calls}`) {
  return post('request', { op, params, callId });
}

/** A new id for a call the page may cancel. */
export function newCallId() {
  return `call-${++calls}`;
}

/** Opens the event stream; `handlers` maps event names to functions of the parsed data. */
export function events(handlers) {
  const source = new EventSource('api/events');
  for (const [name, fn] of Object.entries(handlers)) {
    source.addEventListener(name, (e) => fn(JSON.parse(e.data)));
  }
  return source;
}
