/**
 * What went wrong talking to a URL that is not (or not yet) an MCP server, in words a user can act on:
 * the network cause behind `fetch failed`, and a body that is a web page rather than an MCP answer.
 */

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_SOCKET: 'connection closed by the server',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
};

const ADVICE: Record<string, string> = {
  ECONNREFUSED: 'is the server running and listening on that host and port?',
  ENOTFOUND: 'check the host name in the URL',
  EAI_AGAIN: 'check the host name and the network',
};

/**
 * Describes why a fetch of `url` failed: the error code found along the `cause` chain (e.g.
 * ECONNREFUSED), with host and port, and what to check; the chain of messages when no code is found.
 */
export function describeFetchFailure(error: unknown, url: URL): string {
  let e: unknown = error;
  for (let depth = 0; depth < 6 && typeof e === 'object' && e !== null; depth++) {
    const { code, address, port } = e as { code?: unknown; address?: unknown; port?: unknown };
    if (typeof code === 'string' && code !== 'ERR_INVALID_STATE') {
      const host = typeof address === 'string' ? address : url.hostname;
      const at = `${host} port ${typeof port === 'number' ? port : portOf(url)}`;
      const advice = ADVICE[code] ? `; ${ADVICE[code]}` : '';
      return `${NETWORK_CODES[code] ?? (e as Error).message ?? code} (${code}) at ${at}${advice}`;
    }
    e = (e as { cause?: unknown }).cause;
  }
  return messagesOf(error).join(': ');
}

/** The messages along the `cause` chain, each once (undici's `fetch failed` hides its reason there). */
function messagesOf(error: unknown): string[] {
  const out: string[] = [];
  let e: unknown = error;
  for (let depth = 0; depth < 6 && e !== undefined && e !== null; depth++) {
    const message = e instanceof Error ? e.message : String(e);
    if (message !== '' && !out.includes(message)) out.push(message);
    e = e instanceof Error ? e.cause : undefined;
  }
  return out;
}

function portOf(url: URL): string {
  if (url.port !== '') return url.port;
  return url.protocol === 'https:' ? '443' : '80';
}

/**
 * Names a body that is not an MCP answer: "an HTML page titled "…"" for HTML, otherwise its first
 * line (at most 200 characters), quoted; undefined for an empty body.
 */
export function describeBody(body: string): string | undefined {
  const text = body.trimStart();
  if (text === '') return undefined;
  if (/^<(!doctype html|html|head|body)\b/i.test(text)) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
    return title ? `an HTML page titled ${JSON.stringify(title)}` : 'an HTML page';
  }
  const line = text.split('\n', 1)[0] ?? '';
  return JSON.stringify(line.length > 200 ? `${line.slice(0, 200)}…` : line);
}

/** The advice for an answer that is not MCP: the URL is probably not the server's MCP endpoint. */
export const NOT_MCP_ADVICE =
  'this is not an MCP endpoint: check the URL (the MCP endpoint is often at /mcp) and that an MCP server runs there';

/** Why a POST answer that is neither JSON nor SSE is refused: its Content-Type and what its body looks like. */
export function notMcpContentType(url: URL, type: string | null, body: string): string {
  const page = describeBody(body);
  return (
    `POST ${url.href} answered with Content-Type ${type ?? '(none)'}${page ? ` (${page})` : ''}, ` +
    `neither application/json nor text/event-stream; ${NOT_MCP_ADVICE}.`
  );
}
