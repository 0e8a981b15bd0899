/**
 * What the handler tells the server about a message that came by HTTP, on every route: Streamable
 * HTTP with sessions or without, HTTP+SSE, and the stateless revision 2026-07-28.
 */
import type { AuthInfo, MessageInfo } from '../rpc/index.ts';
import { realRequest } from './beside.ts';

/** What the handler tells the server about a message that came by HTTP. */
export interface HttpMessageInfo extends MessageInfo {
  /**
   * Closes the connection of the SSE stream this message's answer goes on, without ending the
   * stream: the client reconnects with GET and `Last-Event-ID` and gets the rest (SSE polling,
   * 2025-11-25). Present on POSTs answered by SSE; returns false when the stream cannot resume.
   */
  closeSseStream?: () => boolean;
}

/**
 * The facts about a message that came by HTTP. Its `request` is what application code sees: an
 * adapter's light stand-in is made a real Request when first read. (A class, not an object literal
 * with a getter: such a literal costs a new hidden class per request.)
 */
export class HttpInfo implements HttpMessageInfo {
  readonly #request: Request;
  protocolVersion: string | undefined;
  auth?: AuthInfo;
  stateless?: boolean;
  closeSseStream?: () => boolean;

  constructor(request: Request, protocolVersion: string | undefined) {
    this.#request = request;
    this.protocolVersion = protocolVersion;
  }

  get request(): Request {
    return realRequest(this.#request);
  }
}
