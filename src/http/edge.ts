/**
 * The HTTP edge as composed layers, in the manner of Hono's `compose`: each layer answers a
 * request itself or hands it on with `next()`. `createHttpHandler` builds its chain once, from
 * what its options ask for — the OAuth metadata documents and authentication only with `auth`,
 * the Host/Origin guard always, the route table from the configured paths — so a request pays
 * only for the layers it has.
 */
import { type Caller, principalOf, withoutCredentials } from './auth.ts';
import { checkHostAndOrigin } from './guard.ts';
import type { ResolvedOptions } from './options.ts';
import { errorReply, TRANSPORT_ERROR } from './reply.ts';

/** One request passing through the edge. */
export interface EdgeRequest {
  /** The request as it arrived. */
  readonly incoming: Request;
  /** The request the endpoint gets (without credentials once authenticated). */
  request: Request;
  /** The authenticated caller, when the handler has `auth`. */
  caller?: Caller;
  /** The endpoint the route table chose. */
  endpoint?: Endpoint;
}

/** Serves the requests of one path. */
export type Endpoint = (edge: EdgeRequest) => Promise<Response>;

/** One layer: answers, or calls `next` to hand the request on. */
export type EdgeLayer = (edge: EdgeRequest, next: () => Promise<Response>) => Promise<Response>;

/** Composes layers around a final endpoint call, once. */
export function composeEdge(layers: readonly EdgeLayer[]): (edge: EdgeRequest) => Promise<Response> {
  const final = (edge: EdgeRequest): Promise<Response> => (edge.endpoint as Endpoint)(edge);
  return layers.reduceRight<(edge: EdgeRequest) => Promise<Response>>(
    (next, layer) => (edge) => layer(edge, () => next(edge)),
    final,
  );
}

/** The OAuth protected-resource metadata documents, answered before anything else. */
export function authMetadata(auth: NonNullable<ResolvedOptions['auth']>): EdgeLayer {
  return (edge, next) => {
    const metadata = auth.metadataResponse(edge.incoming);
    return metadata ? Promise.resolve(metadata) : next();
  };
}

/** The DNS-rebinding guard: a foreign Host or Origin is refused. */
export function hostAndOrigin(options: ResolvedOptions): EdgeLayer {
  return (edge, next) => {
    const denied = checkHostAndOrigin(edge.incoming, options);
    return denied ? Promise.resolve(denied) : next();
  };
}

/** The route table: a path's endpoint, or 404 naming the MCP endpoint. */
export function route(routes: ReadonlyMap<string, Endpoint>, mcpPath: string): EdgeLayer {
  return (edge, next) => {
    const endpoint = routes.get(pathOf(edge.incoming.url));
    if (endpoint === undefined) {
      return Promise.resolve(errorReply(404, TRANSPORT_ERROR, `Not Found: the MCP endpoint is ${mcpPath}.`));
    }
    edge.endpoint = endpoint;
    return next();
  };
}

/** Authentication: the caller is established (CORS preflights excepted) and the credentials dropped. */
export function authenticate(auth: NonNullable<ResolvedOptions['auth']>): EdgeLayer {
  return async (edge, next) => {
    if (edge.incoming.method !== 'OPTIONS') {
      const result = await auth.authenticate(edge.incoming);
      if ('response' in result) return result.response;
      edge.caller = { auth: result.auth, principal: principalOf(result.auth) };
    }
    edge.request = withoutCredentials(edge.incoming);
    return next();
  };
}

const PLAIN_PATH = /^\/[A-Za-z0-9/_~-]*$/;

/**
 * The path of a request URL as `new URL(url).pathname` gives it; without parsing when the path
 * holds nothing a URL parser would rewrite (no dots, percent signs or backslashes).
 */
export function pathOf(url: string): string {
  const scheme = url.indexOf('://');
  if (scheme > 0) {
    const start = url.indexOf('/', scheme + 3);
    if (start > 0) {
      let end = url.length;
      const query = url.indexOf('?', start);
      if (query >= 0) end = query;
      const hash = url.indexOf('#', start);
      if (hash >= 0 && hash < end) end = hash;
      const path = url.slice(start, end);
      if (PLAIN_PATH.test(path) && url.indexOf('@') < 0) return path;
    }
  }
  return new URL(url).pathname;
}
