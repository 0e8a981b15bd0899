/**
 * The per-request envelope of the stateless revision (2026-07-28) as the bridge needs it: read it
 * from a modern request, strip it for a legacy server, add it for a modern one.
 */
import {
  type ClientCapabilities,
  type Implementation,
  isModernError,
  type LoggingLevel,
  MetaKey,
  type Params,
  withEnvelope,
} from '../../protocol/index.ts';

/** What a modern request says about its client. */
export interface Envelope {
  clientCapabilities: ClientCapabilities;
  clientInfo?: Implementation;
  logLevel?: LoggingLevel;
}

const ENVELOPE_KEYS: readonly string[] = [
  MetaKey.protocolVersion,
  MetaKey.clientCapabilities,
  MetaKey.clientInfo,
  MetaKey.logLevel,
];

function metaOf(params: Params | undefined): Record<string, unknown> | undefined {
  const meta = params?._meta;
  return typeof meta === 'object' && meta !== null ? (meta as Record<string, unknown>) : undefined;
}

/** The envelope of a modern request (empty capabilities when it carries none). */
export function envelopeOf(params: Params | undefined): Envelope {
  const meta = metaOf(params) ?? {};
  const caps = meta[MetaKey.clientCapabilities];
  const envelope: Envelope = {
    clientCapabilities: typeof caps === 'object' && caps !== null ? (caps as ClientCapabilities) : {},
  };
  const info = meta[MetaKey.clientInfo];
  if (typeof info === 'object' && info !== null) envelope.clientInfo = info as Implementation;
  const level = meta[MetaKey.logLevel];
  if (typeof level === 'string') envelope.logLevel = level as LoggingLevel;
  return envelope;
}

/** The params without the envelope keys (and without `_meta` when nothing else is left in it). */
export function stripEnvelope(params: Params | undefined): Params | undefined {
  const meta = metaOf(params);
  if (!params || !meta) return params;
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(meta)) if (!ENVELOPE_KEYS.includes(k)) rest[k] = v;
  const { _meta: _drop, ...others } = params;
  return Object.keys(rest).length > 0 ? { ...others, _meta: rest } : others;
}

/** The params with a modern envelope added. */
export function addEnvelope(params: Params | undefined, envelope: Envelope): Params {
  return withEnvelope(params, envelope.clientCapabilities, envelope.clientInfo, envelope.logLevel);
}

/** Whether an error shows that the server is a modern one. */
export const isModernRefusal = isModernError;

/** The subscription id a modern notification or result carries in `_meta`, if any. */
export function subscriptionIdOf(params: Params | undefined): unknown {
  return metaOf(params)?.[MetaKey.subscriptionId];
}

/** The params with the subscription id in `_meta` replaced (or removed, when `id` is undefined). */
export function withSubscriptionId(params: Params, id: unknown): Params {
  const { [MetaKey.subscriptionId]: _old, ...rest } = metaOf(params) ?? {};
  const meta = id === undefined ? rest : { ...rest, [MetaKey.subscriptionId]: id };
  const { _meta: _drop, ...others } = params;
  return Object.keys(meta).length > 0 ? { ...others, _meta: meta } : others;
}
