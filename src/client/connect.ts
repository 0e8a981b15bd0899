/**
 * Opening a conversation as the versioning page orders it: the era to try first, the
 * `server/discover` probe of the stateless revision, and the `initialize` handshake of the stateful
 * ones.
 */
import {
  type ClientCapabilities,
  ErrorCode,
  type Implementation,
  type InitializeParams,
  type InitializeResult,
  isLegacyRevision,
  isModernError,
  LATEST_LEGACY_REVISION,
  LocalError,
  McpError,
  MetaKey,
  MODERN_REVISION,
  type Params,
  type ServerCapabilities,
} from '../protocol/index.ts';
import type { JsonRpcPeer } from '../rpc/index.ts';
import { type Era, eraMemory, withEnvelope } from './era.ts';
import type { McpClientOptions } from './options.ts';

/** The era a conversation opened in, and what the server said (a discover result reads as initialize's). */
export interface Opened {
  era: Era;
  init: InitializeResult;
}

/** The client's name, version and title, as sent to the server. */
export function clientInfoOf(o: McpClientOptions): Implementation {
  const info: Implementation = { name: o.name ?? 'mcpkit-client', version: o.version ?? '0.0.0' };
  if (o.title !== undefined) info.title = o.title;
  return info;
}

/**
 * Opens the conversation on a connected peer: the era the options name (or the one remembered for
 * `eraKey`) is tried first; otherwise `server/discover` decides, and a legacy server gets
 * `initialize`.
 */
export async function openConversation(
  peer: JsonRpcPeer,
  o: McpClientOptions,
  capabilities: ClientCapabilities,
  signal: AbortSignal | undefined,
): Promise<Opened> {
  const key = o.eraKey;
  let era: Era | undefined =
    o.era === 'modern' || o.era === 'legacy'
      ? o.era
      : o.protocolVersion !== undefined
        ? 'legacy'
        : key !== undefined
          ? eraMemory.get(key)
          : undefined;
  let init: InitializeResult;
  const discovered =
    era === 'legacy'
      ? undefined
      : await probeModern(peer, withEnvelope(undefined, capabilities, clientInfoOf(o), undefined), {
          insist: era === 'modern',
          timeout: era === 'modern' ? undefined : (o.probeTimeout ?? 5000),
          signal,
        });
  if (discovered) {
    era = 'modern';
    init = discoverAsInitialize(discovered);
  } else if (era === 'modern') {
    throw new LocalError('The server did not answer server/discover as a 2026-07-28 server.');
  } else {
    era = 'legacy';
    init = await initializeLegacy(
      peer,
      {
        protocolVersion: o.protocolVersion ?? LATEST_LEGACY_REVISION,
        capabilities,
        clientInfo: clientInfoOf(o),
      },
      signal,
    );
  }
  return { era, init };
}

/**
 * Sends `server/discover`; resolves to its result when the server answered as a 2026-07-28 server,
 * undefined when it is a legacy one. With `insist`, any failure is thrown instead.
 */
export async function probeModern(
  peer: JsonRpcPeer,
  params: Params,
  options: { insist: boolean; timeout: number | undefined; signal: AbortSignal | undefined },
): Promise<Record<string, unknown> | undefined> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const result = await peer.request('server/discover', params, {
        signal: options.signal,
        timeout: options.timeout,
      });
      const modern = Array.isArray(result.supportedVersions) && typeof result.capabilities === 'object';
      return modern ? result : undefined;
    } catch (error) {
      if (options.signal?.aborted) throw error;
      // revision: era negotiation: the server's answer to server/discover decides the era
      if (!isModernError(error)) {
        if (options.insist) throw error;
        return undefined;
      }
      const supported = ((error as McpError).data as { supported?: unknown } | undefined)?.supported;
      const list = Array.isArray(supported) ? supported : [];
      if (list.includes(MODERN_REVISION)) continue; // a passing disagreement: try once more
      // revision: era negotiation: the versions the server says it supports
      if (!options.insist && list.some((v) => isLegacyRevision(v))) return undefined;
      throw error;
    }
  }
  return undefined;
}

/** The `initialize` handshake: the result, after `notifications/initialized` went out. */
export async function initializeLegacy(
  peer: JsonRpcPeer,
  params: InitializeParams,
  signal: AbortSignal | undefined,
): Promise<InitializeResult> {
  const result = await peer.request<InitializeResult>('initialize', params as unknown as Params, { signal });
  // revision: checks the version the server answered, a fact of the wire
  if (!isLegacyRevision(result.protocolVersion)) {
    throw new McpError(
      ErrorCode.InvalidRequest,
      `The server answered with protocol revision '${String(result.protocolVersion)}', which this client does not support.`,
    );
  }
  await peer.notify('notifications/initialized');
  return result;
}

/** A discover result in the shape of an initialize result, so that both eras read alike. */
export function discoverAsInitialize(d: Record<string, unknown>): InitializeResult {
  const meta = d._meta as Record<string, unknown> | undefined;
  const info = (meta?.[MetaKey.serverInfo] as Implementation | undefined) ?? { name: 'unknown', version: '' };
  const result: InitializeResult = {
    protocolVersion: MODERN_REVISION,
    capabilities: d.capabilities as ServerCapabilities,
    serverInfo: info,
  };
  if (typeof d.instructions === 'string') result.instructions = d.instructions;
  return result;
}
