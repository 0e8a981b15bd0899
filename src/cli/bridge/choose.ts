/**
 * How a link decides between relaying and translating, on the client's first request: an
 * `initialize` is passed on, and only a refusal that shows a modern-only server makes the bridge
 * translate; a modern request (or `server/discover`) is passed on, and any other error, or no
 * answer within the probe timeout, shows a legacy server, which the bridge initializes itself.
 */
import { type ClientCapabilities, hasEnvelope, MODERN_REVISION } from '../../protocol/index.ts';
import { addEnvelope, envelopeOf, isModernRefusal } from './envelope.ts';
import { LegacyClientFront } from './legacy-client.ts';
import type { Call, Choice, FrontChooser, Link } from './link.ts';
import { ModernClientFront } from './modern-client.ts';
import { RelayFront } from './relay.ts';

type Result = Record<string, unknown>;

/** How long the first modern request may go unanswered before the server is taken as legacy, ms. */
const PROBE_TIMEOUT = 5_000;

function isDiscoverResult(result: Result): boolean {
  return Array.isArray(result.supportedVersions) && result.supportedVersions.includes(MODERN_REVISION);
}

async function fromInitialize(link: Link, call: Call): Promise<Choice> {
  try {
    const result = await link.request('initialize', call.params, { signal: call.signal });
    return {
      front: new RelayFront(
        link,
        typeof result.protocolVersion === 'string' ? result.protocolVersion : undefined,
      ),
      result,
    };
  } catch (error) {
    // revision: the bridge learns its upstream's era from how it answers, which no table can know ahead
    if (!isModernRefusal(error)) throw error;
    const init = call.params;
    const envelope = envelopeOf(undefined);
    if (typeof init?.capabilities === 'object' && init.capabilities !== null) {
      envelope.clientCapabilities = init.capabilities as ClientCapabilities;
    }
    const discover = await link
      .request('server/discover', addEnvelope(undefined, envelope), { signal: call.signal })
      .catch(() => undefined);
    if (!discover || !isDiscoverResult(discover)) throw error;
    const front = new LegacyClientFront(link, init, discover);
    return { front, result: front.initializeResult() };
  }
}

async function fromModern(link: Link, call: Call): Promise<Choice> {
  const probing = call.method === 'server/discover';
  let result: Result;
  try {
    result = await link.request(call.method, call.params, {
      signal: call.signal,
      timeout: probing ? PROBE_TIMEOUT : undefined,
    });
  } catch (error) {
    if (call.signal.aborted) throw error;
    // A modern server refused this request: relay, and pass the refusal on.
    // revision: an era learnt from the upstream's answer, not from a table
    if (isModernRefusal(error)) return { front: new RelayFront(link, MODERN_REVISION), error };
    // Any other error, or silence (a timeout), means a legacy server.
    return { front: await ModernClientFront.open(link, envelopeOf(call.params), call.signal) };
  }
  if (probing && !isDiscoverResult(result)) {
    return { front: await ModernClientFront.open(link, envelopeOf(call.params), call.signal) };
  }
  return { front: new RelayFront(link, MODERN_REVISION), result };
}

/** Chooses the front of a link from the client's first request. */
export const chooseFront: FrontChooser = (link, first) => {
  if (first.method === 'initialize') return fromInitialize(link, first);
  if (first.method === 'server/discover' || hasEnvelope(first.params)) return fromModern(link, first);
  return Promise.resolve({ front: new RelayFront(link, undefined) });
};
