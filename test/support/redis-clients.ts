/**
 * Client-side helpers of the cluster tests: Streamable HTTP sessions opened on one node and used
 * through others, GET streams read in the background, and HTTP+SSE (2024-11-05) sessions.
 */
import { messages, post, readEvents, type SseEvent } from '../http-server-fixtures.ts';

/** The headers of one Streamable HTTP session. */
export type SessionHeaders = Record<string, string>;

/** Opens a session with initialize on `initUrl`, then sends notifications/initialized to `readyUrl`. */
export async function openSession(
  initUrl: string,
  readyUrl = initUrl,
  revision = '2025-11-25',
): Promise<SessionHeaders> {
  const res = await post(initUrl, {
    jsonrpc: '2.0',
    id: 0,
    method: 'initialize',
    params: { protocolVersion: revision, capabilities: {}, clientInfo: { name: 'cluster', version: '1' } },
  });
  if (res.status !== 200) throw new Error(`initialize answered ${res.status}`);
  await readEvents(res);
  const headers = {
    'mcp-session-id': res.headers.get('mcp-session-id') as string,
    'mcp-protocol-version': revision,
  };
  const ready = await post(readyUrl, { jsonrpc: '2.0', method: 'notifications/initialized' }, headers);
  if (ready.status !== 202) throw new Error(`notifications/initialized answered ${ready.status}`);
  return headers;
}

/** Sends one request and reads its SSE answer; throws unless the POST is answered with 200. */
export async function request(
  url: string,
  headers: SessionHeaders,
  id: number | string,
  method: string,
  params: Record<string, unknown> = {},
): Promise<Record<string, unknown>[]> {
  const res = await post(url, { jsonrpc: '2.0', id, method, params }, headers);
  if (res.status !== 200) throw new Error(`${method} answered ${res.status}: ${await res.text()}`);
  return messages((await readEvents(res)).events);
}

/** An SSE response read in the background. */
export interface Reading {
  readonly status: number;
  /** Events received so far. */
  readonly events: SseEvent[];
  /** Settles when the body ends, breaks or is closed. */
  readonly done: Promise<void>;
  /** The JSON-RPC messages received so far (priming and `endpoint` events skipped). */
  messages(): Record<string, unknown>[];
  /** Hangs up. */
  close(): void;
}

/** Reads an SSE response in the background. */
export function reading(response: Response, hangUp: AbortController): Reading {
  const events: SseEvent[] = [];
  const done =
    response.status === 200
      ? readEvents(response, (e) => {
          events.push(e);
          return false;
        }).then(
          () => {},
          () => {},
        )
      : response.text().then(
          () => {},
          () => {},
        );
  return {
    status: response.status,
    events,
    done,
    messages: () => messages(events.filter((e) => e.event === undefined || e.event === 'message')),
    close: () => hangUp.abort(),
  };
}

/** Opens a session's GET stream on `url` (resuming after `lastEventId` when given). */
export async function openGet(url: string, headers: SessionHeaders, lastEventId?: string): Promise<Reading> {
  const hangUp = new AbortController();
  const res = await fetch(url, {
    headers: {
      ...headers,
      accept: 'text/event-stream',
      ...(lastEventId === undefined ? {} : { 'last-event-id': lastEventId }),
    },
    signal: hangUp.signal,
  });
  return reading(res, hangUp);
}

/** The number of messages received with this method (and this params.uri, when given). */
export function countOf(r: Reading, method: string, uri?: string): number {
  return r
    .messages()
    .filter(
      (m) =>
        m.method === method && (uri === undefined || (m.params as { uri?: string } | undefined)?.uri === uri),
    ).length;
}

/** An HTTP+SSE (2024-11-05) session: its event stream and the URL to POST its messages to. */
export interface LegacySession {
  readonly stream: Reading;
  /** The message endpoint's path and query (`/messages?sessionId=…`). */
  readonly endpoint: string;
}

/** Opens an HTTP+SSE session on the node whose base URL is `base`. */
export async function openLegacy(base: string): Promise<LegacySession> {
  const hangUp = new AbortController();
  const res = await fetch(`${base}/sse`, { headers: { accept: 'text/event-stream' }, signal: hangUp.signal });
  if (res.status !== 200) throw new Error(`GET /sse answered ${res.status}`);
  const stream = reading(res, hangUp);
  const end = Date.now() + 5000;
  while (!stream.events.some((e) => e.event === 'endpoint')) {
    if (Date.now() > end) throw new Error('no endpoint event');
    await new Promise((r) => setTimeout(r, 10));
  }
  const endpoint = stream.events.find((e) => e.event === 'endpoint')?.data as string;
  return { stream, endpoint };
}

/** POSTs one message of an HTTP+SSE session to the node whose base URL is `base`. */
export async function postLegacy(base: string, session: LegacySession, message: unknown): Promise<number> {
  const res = await fetch(`${base}${session.endpoint}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(message),
  });
  await res.text();
  return res.status;
}
