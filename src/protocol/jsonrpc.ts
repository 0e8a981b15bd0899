/** JSON-RPC 2.0 message shapes and the checks that classify a received value. */

/** A request id: a string or an integer, never null. */
export type RequestId = string | number;

/** A progress token: a string or an integer. */
export type ProgressToken = string | number;

/** Free-form metadata. */
export type Meta = Record<string, unknown>;

/** The body of a JSON-RPC error. */
export interface ErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

/** Parameters of a request or notification. */
export type Params = Record<string, unknown> & { _meta?: Meta };

/** A request: expects a response. */
export interface JsonRpcRequest {
  jsonrpc: '2.0';
  id: RequestId;
  method: string;
  params?: Params;
}

/** A notification: expects no response. */
export interface JsonRpcNotification {
  jsonrpc: '2.0';
  method: string;
  params?: Params;
}

/** A successful response. */
export interface JsonRpcResultResponse {
  jsonrpc: '2.0';
  id: RequestId;
  result: Record<string, unknown>;
}

/** An error response; `id` is null when the request's id could not be read. */
export interface JsonRpcErrorResponse {
  jsonrpc: '2.0';
  id: RequestId | null;
  error: ErrorObject;
}

/** Any response. */
export type JsonRpcResponse = JsonRpcResultResponse | JsonRpcErrorResponse;

/** Any single JSON-RPC message. */
export type JsonRpcMessage = JsonRpcRequest | JsonRpcNotification | JsonRpcResponse;

/** What a received value turned out to be. */
export type Classified =
  | { kind: 'request'; message: JsonRpcRequest }
  | { kind: 'notification'; message: JsonRpcNotification }
  | { kind: 'response'; message: JsonRpcResponse }
  | { kind: 'invalid'; id: RequestId | null; reason: string; response?: true };

/** A string, or an integer every JSON parser reads exactly (within ±(2^53−1)). */
function isId(value: unknown): value is RequestId {
  return typeof value === 'string' || (typeof value === 'number' && Number.isSafeInteger(value));
}

/** Why a request's id is refused, naming what was received (called only for a bad id). */
function badIdReason(value: unknown): string {
  if (typeof value === 'number' && Number.isInteger(value)) {
    return 'A request id must be a string or an integer between -(2^53-1) and 2^53-1; an integer beyond that cannot be echoed exactly, so send it as a string.';
  }
  let got: string;
  if (value === null) got = 'null';
  else if (Array.isArray(value)) got = 'an array';
  else if (typeof value === 'number') got = `the number ${value}, which is not an integer`;
  else if (typeof value === 'boolean') got = `the boolean ${value}`;
  else if (typeof value === 'object') got = 'an object';
  else got = `a value of type ${typeof value}`;
  return `A request id must be a string or an integer; got ${got}.`;
}

/**
 * Classifies one received value (not an array). Invalid values carry the id when one could be read,
 * so that the -32600 answer can name it.
 */
export function classify(value: unknown): Classified {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { kind: 'invalid', id: null, reason: 'A JSON-RPC message must be a JSON object.' };
  }
  const m = value as Record<string, unknown>;
  const id = 'id' in m && isId(m.id) ? m.id : null;
  if (m.jsonrpc !== '2.0') {
    return { kind: 'invalid', id, reason: 'The "jsonrpc" member must be exactly "2.0".' };
  }
  if (typeof m.method === 'string') {
    if (
      m.params !== undefined &&
      (typeof m.params !== 'object' || m.params === null || Array.isArray(m.params))
    ) {
      return { kind: 'invalid', id, reason: 'The "params" member must be an object when present.' };
    }
    if (!('id' in m)) return { kind: 'notification', message: m as unknown as JsonRpcNotification };
    if (id === null) return { kind: 'invalid', id: null, reason: badIdReason(m.id) };
    return { kind: 'request', message: m as unknown as JsonRpcRequest };
  }
  if ('method' in m) return { kind: 'invalid', id, reason: 'The "method" member must be a string.' };
  if ('result' in m || 'error' in m) {
    if ('result' in m && 'error' in m) {
      return {
        kind: 'invalid',
        id,
        reason: 'A response carries either "result" or "error", not both.',
        response: true,
      };
    }
    if ('error' in m) {
      const e = m.error as Record<string, unknown> | null;
      if (typeof e !== 'object' || e === null || !Number.isInteger(e.code) || typeof e.message !== 'string') {
        return {
          kind: 'invalid',
          id,
          reason: 'An error response needs an "error" with a numeric code and a message.',
          response: true,
        };
      }
      if (m.id !== undefined && m.id !== null && !isId(m.id))
        return { kind: 'invalid', id: null, reason: 'Bad response id.', response: true };
      if (m.id === undefined)
        return { kind: 'response', message: { ...m, id: null } as unknown as JsonRpcResponse };
      return { kind: 'response', message: m as unknown as JsonRpcResponse };
    }
    if (!isId(m.id))
      return {
        kind: 'invalid',
        id: null,
        reason: 'A response needs a string or integer id.',
        response: true,
      };
    if (typeof m.result !== 'object' || m.result === null || Array.isArray(m.result)) {
      return { kind: 'invalid', id, reason: 'A result must be an object.', response: true };
    }
    return { kind: 'response', message: m as unknown as JsonRpcResponse };
  }
  return {
    kind: 'invalid',
    id,
    reason: 'A JSON-RPC message needs "method" (request) or "result"/"error" (response).',
  };
}

/** Whether a message is a request. */
export function isRequest(m: JsonRpcMessage): m is JsonRpcRequest {
  return 'method' in m && 'id' in m;
}

/** Whether a message is a notification. */
export function isNotification(m: JsonRpcMessage): m is JsonRpcNotification {
  return 'method' in m && !('id' in m);
}

/** Whether a message is a response. */
export function isResponse(m: JsonRpcMessage): m is JsonRpcResponse {
  return !('method' in m);
}

/** Builds an error response. */
export function errorResponse(
  id: RequestId | null,
  code: number,
  message: string,
  data?: unknown,
): JsonRpcErrorResponse {
  return { jsonrpc: '2.0', id, error: data === undefined ? { code, message } : { code, message, data } };
}

/**
 * Whether a parsed JSON value nests deeper than `limit` levels. It stops looking at depth
 * `limit + 1`, so a hostile message cannot overflow the stack here, and it allocates nothing.
 */
export function depthExceeds(value: unknown, limit: number): boolean {
  return limit <= 1000 ? exceeds(value, limit) : exceedsIteratively(value, limit);
}

/** The same check without recursion, for limits too large to recurse safely. */
function exceedsIteratively(value: unknown, limit: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const stack: unknown[] = [value];
  const depths: number[] = [1];
  while (stack.length > 0) {
    const v = stack.pop() as Record<string, unknown> | unknown[];
    const d = depths.pop() as number;
    if (d > limit) return true;
    for (const c of Array.isArray(v) ? v : Object.values(v)) {
      if (typeof c === 'object' && c !== null) {
        stack.push(c);
        depths.push(d + 1);
      }
    }
  }
  return false;
}

function exceeds(value: unknown, remaining: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (remaining <= 0) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (exceeds(value[i], remaining - 1)) return true;
    return false;
  }
  for (const key in value) {
    if (exceeds((value as Record<string, unknown>)[key], remaining - 1)) return true;
  }
  return false;
}
