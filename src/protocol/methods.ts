/** Which methods exist in which revision, and which capability each one needs. */
import { FEATURES, type Revision } from './revisions.ts';
import type { ClientCapabilities, ServerCapabilities } from './types.ts';

/** Client→server request methods of the stateful revisions. */
export const CLIENT_REQUEST_METHODS = [
  'initialize',
  'ping',
  'tools/list',
  'tools/call',
  'resources/list',
  'resources/templates/list',
  'resources/read',
  'resources/subscribe',
  'resources/unsubscribe',
  'prompts/list',
  'prompts/get',
  'completion/complete',
  'logging/setLevel',
] as const;

/** A client→server request method. */
export type ClientRequestMethod = (typeof CLIENT_REQUEST_METHODS)[number];

/** Server→client request methods. */
export const SERVER_REQUEST_METHODS = [
  'ping',
  'sampling/createMessage',
  'roots/list',
  'elicitation/create',
] as const;

/** A server→client request method. */
export type ServerRequestMethod = (typeof SERVER_REQUEST_METHODS)[number];

/**
 * The server capability an inbound client request needs, as a path into ServerCapabilities; null
 * for methods every server answers.
 */
export function serverCapabilityFor(method: string): string | null {
  switch (method) {
    case 'tools/list':
    case 'tools/call':
      return 'tools';
    case 'resources/list':
    case 'resources/templates/list':
    case 'resources/read':
      return 'resources';
    case 'resources/subscribe':
    case 'resources/unsubscribe':
      return 'resources.subscribe';
    case 'prompts/list':
    case 'prompts/get':
      return 'prompts';
    case 'logging/setLevel':
      return 'logging';
    case 'completion/complete':
      return 'completions';
    default:
      return null;
  }
}

/** The client capability a server→client request needs. */
export function clientCapabilityFor(method: string): string | null {
  switch (method) {
    case 'sampling/createMessage':
      return 'sampling';
    case 'roots/list':
      return 'roots';
    case 'elicitation/create':
      return 'elicitation';
    default:
      return null;
  }
}

/** Whether a dotted capability path is declared in a capabilities object. */
export function hasCapability(
  caps: ServerCapabilities | ClientCapabilities | undefined,
  path: string,
): boolean {
  let node: unknown = caps;
  for (const part of path.split('.')) {
    if (typeof node !== 'object' || node === null) return false;
    node = (node as Record<string, unknown>)[part];
    if (node === undefined || node === false || node === null) return false;
  }
  return true;
}

/** Whether a server→client request method exists in a revision. */
export function serverRequestExists(method: string, revision: Revision): boolean {
  if (method === 'elicitation/create') return FEATURES[revision].elicitation;
  return (SERVER_REQUEST_METHODS as readonly string[]).includes(method);
}
