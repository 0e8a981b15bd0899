/**
 * One Streamable HTTP session as a Transport: it routes what the server sends to the right stream
 * (the POST stream of the request it relates to, or the standalone GET stream), keeps streams
 * resumable through the event store, and learns the negotiated revision from the initialize result.
 */
import {
  ConnectionClosedError,
  FEATURES,
  isLegacyRevision,
  isResponse,
  type JsonRpcMessage,
  type JsonRpcRequest,
  type JsonRpcResponse,
  type LegacyRevision,
  messageText,
  type RequestId,
} from '../../protocol/index.ts';
import type { MessageInfo, SendOptions, Transport, TransportSink } from '../../rpc/index.ts';
import { randomToken, type SessionRecord } from '../../store/index.ts';
import type { Departure } from '../beside.ts';
import { postStreamId } from '../cluster/liveness.ts';
import { SharedStream } from '../cluster/shared-stream.ts';
import { tagId } from '../cluster/tagged-id.ts';
import { endService } from '../options.ts';
import { SseConnection } from '../sse.ts';
import { ReplyTargets } from './reply-targets.ts';
import type { SessionSettings } from './settings.ts';
import { JsonReply, MessageStream, type ReplyTarget } from './stream.ts';

/** A Streamable HTTP session (or, without an id, the one-request transport of stateless mode). */
export class StreamableSession implements Transport {
  readonly sessionId: string | undefined;
  /** Which transport this is. */
  readonly kind = 'streamable-http';
  /** The revision negotiated by initialize, once its result has gone out. */
  revision: LegacyRevision | undefined;
  /** The `MCP-Protocol-Version` header of the request that made a stateless transport. */
  readonly protocolVersion: string | undefined;
  /** When the client was last heard from (ms since the epoch). */
  lastSeen = Date.now();
  /** Whether the client has used the session beyond initialize (another request, a GET stream). */
  engaged = false;
  /** The server's handle on this session, set once `connect` resolved. */
  handle: { close(): Promise<void> } | undefined;
  /** The principal the session is bound to (with the `auth` option); requests of others are refused. */
  subject: string | undefined;
  #sink: TransportSink | undefined;
  #closed = false;
  readonly #settings: SessionSettings<StreamableSession>;
  readonly #targets = new ReplyTargets();
  // POST streams, made when first needed and dropped when empty: an idle session holds none of them.
  #streams: Map<string, MessageStream> | undefined;
  /** The GET stream, apart from the POST streams (an idle session holds it, and no Map for it). */
  #standalone: MessageStream | undefined;
  /** Streams that ended while cut off; their events are kept until the session ends. */
  #cutOff: Set<string> | undefined;
  readonly #shared: SharedStream | undefined;
  #receiving: ReplyTarget | undefined;
  #initId: RequestId | undefined;
  #prefixText: string | undefined;
  #nextStream = 0;
  #connections = 0;
  #jsonWaiting = 0;
  #restoreId: string | undefined;
  /** The answers of a cluster session, in order (made when the first goes out). */
  #answers: Promise<void> | undefined;
  /** The `initialize` params of the client (cluster mode keeps them in the session record). */
  initParams: Record<string, unknown> | undefined;

  constructor(
    sessionId: string | undefined,
    settings: SessionSettings<StreamableSession>,
    protocolVersion?: string,
  ) {
    this.sessionId = sessionId;
    this.#settings = settings;
    this.protocolVersion = protocolVersion;
    const cluster = settings.cluster;
    this.#prefixText = cluster?.streamPrefix;
    if (cluster && settings.store) {
      this.#shared = new SharedStream(this.standaloneStreamId, settings.store, cluster, settings.onError);
    }
  }

  /** What every stream id of this session starts with (random, made when first needed). */
  get #prefix(): string {
    this.#prefixText ??= `${randomToken(8)}.`;
    return this.#prefixText;
  }

  /** The id of the session's GET stream when several nodes share it. */
  get standaloneStreamId(): string {
    return `${this.#prefix}get`;
  }

  /**
   * Makes this copy of a session that another node initialized ready to serve: replays the
   * client's `initialize` (its answer is not sent) and `notifications/initialized` to the server.
   */
  restore(record: SessionRecord): void {
    this.subject = record.subject;
    this.engaged = true; // it was in use on another node
    // revision: validates a revision read back from the session store
    if (record.revision === undefined || !isLegacyRevision(record.revision)) return;
    this.revision = record.revision;
    this.#restoreId = `restore.${randomToken(8)}`;
    const params = {
      protocolVersion: record.revision,
      capabilities: record.clientCapabilities ?? {},
      clientInfo: record.clientInfo ?? { name: 'unknown', version: '0' },
    };
    this.deliver({ jsonrpc: '2.0', id: this.#restoreId, method: 'initialize', params }, {});
    this.deliver({ jsonrpc: '2.0', method: 'notifications/initialized' }, {});
  }

  start(sink: TransportSink): void {
    if (this.#sink) throw new Error('This HTTP session transport is already started.');
    this.#sink = sink;
  }

  /** Whether the session has closed. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Connections open right now: SSE streams, and POSTs waiting for their JSON answer. */
  get openConnections(): number {
    return this.#connections + this.#jsonWaiting;
  }

  /** Whether POST streams begin with a priming event (2025-11-25 sessions, with an event store). */
  get polling(): boolean {
    return (
      this.#settings.store !== undefined && this.revision !== undefined && FEATURES[this.revision].ssePolling
    );
  }

  /** Whether a request id is waiting for its response on this session. */
  inUse(id: RequestId): boolean {
    return this.#targets.has(id);
  }

  /** Whether a stream id was made by this session (so its events may be replayed here). */
  ownsStream(streamId: string): boolean {
    return streamId.startsWith(this.#prefix);
  }

  /** Notes the id of the initialize request, whose result tells the negotiated revision. */
  expectInitialize(id: RequestId): void {
    this.#initId = id;
  }

  /** A new SSE connection counted against this session. */
  connection(signal?: Departure, onClose?: () => void): SseConnection {
    this.#connections++;
    return new SseConnection({
      keepAliveMs: this.#settings.keepAliveMs,
      maxBufferedBytes: this.#settings.maxBufferedBytes,
      signal,
      onClose: () => {
        this.#connections--;
        this.lastSeen = Date.now();
        onClose?.();
      },
    });
  }

  /** Opens the SSE stream that answers a POST's requests, primed when the revision asks for it. */
  openStream(requests: readonly JsonRpcRequest[], conn: SseConnection): MessageStream {
    const stream = this.#newStream(requests);
    this.#register(stream, requests);
    void stream.attach(conn);
    if (this.polling) void stream.prime(this.#settings.retryMs);
    return stream;
  }

  /** Opens the JSON reply that answers a POST's requests. */
  openJson(requests: readonly JsonRpcRequest[], batch: boolean): JsonReply {
    this.#jsonWaiting++;
    const reply = new JsonReply(batch, (r) => {
      this.#jsonWaiting--;
      this.lastSeen = Date.now();
      this.#ended(r);
    });
    this.#register(reply, requests);
    return reply;
  }

  /** Whether a GET connection is attached to the standalone stream. */
  get standaloneConnected(): boolean {
    return this.#standalone?.connected ?? false;
  }

  /** Attaches a fresh GET connection as the standalone stream (replacing any other). */
  openStandalone(conn: SseConnection): void {
    this.engaged = true;
    if (!this.#standalone) this.#standalone = this.#newStream([], true);
    void this.#standalone.attach(conn);
    if (this.polling) void this.#standalone.prime(this.#settings.retryMs);
  }

  /** The stream a `Last-Event-ID` belongs to, when it is one of this session's and still known. */
  async resumable(lastEventId: string): Promise<string | undefined> {
    const streamId = await this.#settings.store?.streamOf(lastEventId);
    return streamId !== undefined && this.ownsStream(streamId) ? streamId : undefined;
  }

  /** Whether a stream is live on this node (its request is being served here). */
  isLive(streamId: string): boolean {
    return this.#live(streamId) !== undefined;
  }

  #live(streamId: string): MessageStream | undefined {
    const standalone = this.#standalone;
    if (standalone?.id === streamId) return standalone;
    return this.#streams?.get(streamId);
  }

  /** Replays a stream after `lastEventId` on `conn`, then keeps `conn` for its live messages. */
  async resume(streamId: string, lastEventId: string, conn: SseConnection): Promise<void> {
    const live = this.#live(streamId);
    if (live) return live.attach(conn, lastEventId);
    await this.#settings.store?.replayAfter(lastEventId, (id, data) => {
      conn.event(data, id, 'message');
    });
    conn.end();
  }

  /** Closes the connection of a request's stream; the client resumes it with GET. */
  closeRequestStream(requestId: RequestId): boolean {
    const target = this.#targets.of(requestId);
    return target instanceof MessageStream && this.closeStream(target);
  }

  /** Closes the connection of a POST stream that has not ended; false without an event store. */
  closeStream(stream: MessageStream): boolean {
    if (!this.#settings.store || stream.ended || this.#closed) return false;
    void stream.dropConnection(this.#settings.retryMs);
    return true;
  }

  /** Closes the connection of the standalone stream; the client reconnects with GET. */
  closeStandaloneStream(): boolean {
    if (!this.#standalone?.connected) return false;
    void this.#standalone.dropConnection(this.#settings.retryMs);
    return true;
  }

  /** Hands a received body to the server; responses sent meanwhile without a known id go to `target`. */
  deliver(value: unknown, info: MessageInfo, target?: ReplyTarget): void {
    this.lastSeen = Date.now();
    const sink = this.#sink;
    if (!sink || this.#closed) throw new ConnectionClosedError('The HTTP session is closed.');
    this.#receiving = target;
    try {
      sink.receive(value, info);
    } finally {
      this.#receiving = undefined;
    }
  }

  send(message: JsonRpcMessage | JsonRpcMessage[], options?: SendOptions): Promise<void> {
    if (this.#closed) return Promise.reject(new ConnectionClosedError('The HTTP session is closed.'));
    const list = Array.isArray(message) ? message : [message];
    const first = list[0];
    if (!first) return Promise.resolve();
    if (isResponse(first)) return this.#sendResponses(message, list as JsonRpcResponse[]);
    const cluster = this.#settings.cluster;
    if (cluster && 'id' in first && !Array.isArray(message)) {
      message = { ...first, id: tagId(cluster.nodeId, first.id) };
    }
    const related = options?.relatedRequestId;
    let target: ReplyTarget | undefined;
    if (related !== undefined) {
      const t = this.#targets.of(related);
      if (t?.carriesRelated) target = t;
    }
    target ??= this.#shared ?? this.#standalone;
    if (!target) {
      if (!('id' in first)) return Promise.resolve(); // a notification with no stream to go to
      return Promise.reject(
        new ConnectionClosedError(
          'No stream to send this request on: the client has no GET stream open and the request it relates to has ended.',
        ),
      );
    }
    return target.push(message, messageText(message), false);
  }

  #sendResponses(message: JsonRpcMessage | JsonRpcMessage[], list: JsonRpcResponse[]): Promise<void> {
    if (this.#restoreId !== undefined && list.some((r) => r.id === this.#restoreId)) {
      this.#restoreId = undefined;
      return Promise.resolve(); // the answer to a replayed initialize: the client has had it already
    }
    let target: ReplyTarget | undefined;
    let failedInit = false;
    for (const r of list) {
      if (r.id !== null && r.id === this.#initId) {
        this.#initId = undefined;
        failedInit = !this.#learnRevision(r);
      }
      const t = r.id === null ? undefined : this.#targets.of(r.id);
      if (t) {
        this.#targets.forget(r.id as RequestId);
        t.pending.delete(r.id as RequestId);
        target ??= t;
      }
    }
    if (!target) {
      // An answer the server gave at once to a body it could not take (a rejected batch): it ends that POST.
      target = this.#receiving;
      if (!target) {
        this.#settings.onError(new Error('Dropped a response to a request this session is not waiting for.'));
        return Promise.resolve();
      }
      for (const id of target.pending) this.#targets.forget(id);
      target.pending.clear();
    }
    const last = target.pending.size === 0;
    const to = target;
    const cluster = this.#settings.cluster;
    let sent: Promise<void>;
    if (cluster) {
      sent = (this.#answers ?? Promise.resolve())
        .then(() => cluster.beforeAnswer(this, list))
        .catch((error: unknown) => this.#settings.onError(error as Error))
        .then(() => to.push(message, messageText(message), last));
      this.#answers = sent;
    } else sent = to.push(message, messageText(message), last);
    if (failedInit) void sent.then(() => this.terminate());
    return sent;
  }

  #learnRevision(response: JsonRpcResponse): boolean {
    if (!('result' in response)) return false;
    const version = response.result.protocolVersion;
    // revision: validates the revision the server's initialize answer names
    if (isLegacyRevision(version)) {
      this.revision = version;
      this.#settings.onRevision?.(this, version);
    }
    return true;
  }

  #newStream(requests: readonly JsonRpcRequest[], standalone = false): MessageStream {
    const cluster = this.#settings.cluster;
    const n = this.#nextStream++;
    const stream = new MessageStream(
      cluster ? postStreamId(this.#prefix, cluster.nodeId, n, requests) : `${this.#prefix}${n}`,
      this.#settings.store,
      this.#settings.onError,
      (s) => {
        if (s === this.#standalone) this.#standalone = undefined;
        const streams = this.#streams;
        if (streams?.delete(s.id) && streams.size === 0) this.#streams = undefined;
        // Cut off before its end: the client may resume it for as long as the session lives.
        if (!s.delivered && !cluster && this.#settings.store && !this.#closed) {
          this.#cutOff ??= new Set();
          this.#cutOff.add(s.id);
        }
        this.#ended(s);
      },
      cluster,
    );
    if (!standalone) {
      this.#streams ??= new Map();
      this.#streams.set(stream.id, stream);
    }
    return stream;
  }

  #ended(target: ReplyTarget): void {
    if (this.#targets.ended(target) && !this.#closed) this.#settings.onAnswered?.(this);
  }

  #register(target: ReplyTarget, requests: readonly JsonRpcRequest[]): void {
    if (!this.engaged && (requests.length !== 1 || requests[0]?.id !== this.#initId)) this.engaged = true;
    this.#targets.add(target, requests);
  }

  /** Ends the server's service of this session, then the session itself. */
  async terminate(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await endService(handle, this.#settings.onError);
    await this.close();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const store = this.#settings.store;
    const streams = [...(this.#streams?.values() ?? [])];
    if (this.#standalone) streams.push(this.#standalone);
    const streamIds = [...streams.map((t) => t.id), ...(this.#cutOff ?? [])];
    this.#cutOff = undefined;
    for (const t of [...this.#targets.all(), ...streams]) t.end();
    // Shared streams outlive this copy of the session: another node may resume them; they expire.
    if (!this.#settings.cluster)
      for (const id of streamIds) store?.deleteStream(id).catch(this.#settings.onError);
    this.#targets.clear();
    this.#streams = undefined;
    this.#standalone = undefined;
    this.#sink?.closed();
    this.#settings.onClosed?.(this);
  }
}
