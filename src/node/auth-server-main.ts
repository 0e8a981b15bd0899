/**
 * `npm run auth-server`: the development authorization server on `PORT` (default 9000), issuer
 * `http://localhost:<PORT>` (or `ISSUER`). With `MCP_PORT` set, the reference MCP server is served
 * at `http://localhost:<MCP_PORT>/mcp` behind it. A development tool, not a production IdP.
 */
import { startAuthServer, startProtectedReferenceServer } from './auth-server.ts';

const port = Number(process.env.PORT ?? 9000);
const as = await startAuthServer({
  port,
  ...(process.env.ISSUER ? { issuer: process.env.ISSUER } : {}),
  allowPrivateClientMetadata: process.env.ALLOW_PRIVATE_CLIENT_METADATA === '1',
});
process.stdout.write(
  `Development authorization server (auto-approves every request for user "dev-user"; not for production)\n` +
    `  issuer:   ${as.issuer}\n  metadata: ${as.issuer}/.well-known/oauth-authorization-server\n`,
);
const closers = [() => as.close()];
if (process.env.MCP_PORT) {
  const mcp = await startProtectedReferenceServer({ issuer: as.issuer, port: Number(process.env.MCP_PORT) });
  process.stdout.write(`Reference MCP server (protected): ${mcp.resource}\n`);
  closers.push(() => mcp.close());
}
const stop = () => {
  Promise.all(closers.map((close) => close())).finally(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
