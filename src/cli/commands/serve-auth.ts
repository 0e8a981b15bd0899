/**
 * `mcpkit serve --port N --auth [--issuer URL]`: the reference server as an OAuth protected
 * resource. Tokens are JWTs from the issuer (checked against its JWKS, audience
 * `http://localhost:N`, which covers /mcp and /sse); every request needs `mcp:read`, and `tools/call` `mcp:write` as well.
 * Without `--issuer`, the development authorization server runs in this process on a free port.
 */
import { authorizationServerMetadataUrls } from '../../auth/index.ts';
import {
  type RunningAuthServer,
  type RunningProtectedServer,
  startAuthServer,
  startProtectedReferenceServer,
} from '../../node/auth-server.ts';
import { UsageError } from '../errors.ts';
import { untilSignal } from '../lifetime.ts';
import type { Terminal } from '../terminal.ts';

/** Where and how `serve --auth` listens. */
export interface ProtectedServeOptions {
  port: number;
  host: string;
  /** An external authorization server's issuer (default: the development one, in process). */
  issuer?: string;
}

/** Serves the protected reference server until a signal; resolves with the exit code. */
export async function serveProtected(options: ProtectedServeOptions, term: Terminal): Promise<number> {
  const { port, host } = options;
  let dev: RunningAuthServer | undefined;
  let issuer: string;
  let jwksUrl: string;
  if (options.issuer === undefined) {
    dev = await startAuthServer({ port: 0, host });
    issuer = dev.issuer;
    jwksUrl = `${issuer}/jwks`;
  } else {
    if (!URL.canParse(options.issuer) || !/^https?:$/.test(new URL(options.issuer).protocol)) {
      throw new UsageError(`--issuer takes the authorization server's URL, not '${options.issuer}'.`);
    }
    issuer = options.issuer;
    jwksUrl = (await jwksUriOf(issuer)) ?? `${issuer.replace(/\/$/, '')}/jwks`;
  }
  let served: RunningProtectedServer;
  try {
    served = await startProtectedReferenceServer({ issuer, jwksUrl, port, host });
  } catch (error) {
    await dev?.close();
    const e = error as NodeJS.ErrnoException;
    throw new UsageError(
      e.code === 'EADDRINUSE'
        ? `Port ${port} on ${host} is already in use; choose another with --port (0 picks a free one).`
        : `Could not listen on ${host}:${port}: ${e.message}`,
    );
  }
  // Tokens name the server as http://localhost:<port>, so that is the name clients must use.
  const base = `http://localhost:${served.http.port}`;
  term.note(
    `mcpkit reference server on ${term.err.cyan(`${base}/mcp`)} (Streamable HTTP; HTTP+SSE at ${base}/sse), protected by ${issuer}`,
  );
  if (dev) {
    term.note(
      `mcpkit development authorization server on ${term.err.cyan(dev.issuer)} (approves every request as dev-user: for development only)`,
    );
  }
  term.note(term.err.dim(`Log in with: mcpkit login ${base}/mcp`));
  await untilSignal();
  await served.close();
  await dev?.close();
  return 0;
}

/** The `jwks_uri` of an issuer's metadata (RFC 8414, then OpenID Connect), if it can be read. */
async function jwksUriOf(issuer: string): Promise<string | undefined> {
  for (const url of authorizationServerMetadataUrls(issuer)) {
    try {
      const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(5000) });
      if (!response.ok) {
        await response.body?.cancel();
        continue;
      }
      const metadata = (await response.json()) as { issuer?: unknown; jwks_uri?: unknown };
      if (metadata.issuer === issuer && typeof metadata.jwks_uri === 'string') return metadata.jwks_uri;
    } catch {
      // try the next location
    }
  }
  return undefined;
}
