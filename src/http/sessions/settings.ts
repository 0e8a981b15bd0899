/**
 * What a Streamable HTTP session is given by the handler that made it: the event store, timings,
 * callbacks, and, when several nodes serve it, its part in the cluster. `Session` is the session
 * the callbacks receive (StreamableSession, which takes these settings).
 */
import type { JsonRpcResponse, LegacyRevision } from '../../protocol/index.ts';
import type { EventStore } from '../../store/index.ts';

/** What a session needs when several nodes serve it (the handler's `bus` option). */
export interface SessionCluster<Session> {
  /** This node's id: it names the node's streams and tags its requests to the client. */
  readonly nodeId: string;
  /** The stream id prefix every node uses for this session. */
  readonly streamPrefix: string;
  /** Tells followers of a stream on any node that it has new events. */
  wake(streamId: string): void;
  /**
   * Runs before each response goes out: stores what the request changed in the session record,
   * and frees the ids of the requests answered.
   */
  beforeAnswer(session: Session, responses: readonly JsonRpcResponse[]): Promise<void>;
}

/** What a session needs from the handler that made it. */
export interface SessionSettings<Session> {
  store: EventStore | undefined;
  retryMs: number;
  keepAliveMs: number;
  maxBufferedBytes: number;
  onError: (error: Error) => void;
  /** Called once when the session has closed, whoever closed it. */
  onClosed?: (session: Session) => void;
  /** Called when the last open POST answer (stream or JSON reply) has ended. */
  onAnswered?: (session: Session) => void;
  /** Called when the initialize result reveals the negotiated revision. */
  onRevision?: (session: Session, revision: LegacyRevision) => void;
  /** Present when several nodes serve the session. */
  cluster?: SessionCluster<Session>;
}
