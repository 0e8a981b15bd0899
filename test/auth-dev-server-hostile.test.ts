/**
 * The development authorization server against hostile registrations, on a real socket: a cap on
 * the clients one address may register, a cap on clients in all, and redirect URIs with userinfo.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { serveHttp } from '../src/node/http.ts';
import { cleanup, closeAll, startDevAs } from './auth-fixtures.ts';

afterEach(closeAll);

const REDIRECT_URI = 'http://127.0.0.1:8977/callback';

function registerAt(issuer: string, redirectUris: string[] = [REDIRECT_URI]): Promise<Response> {
  return fetch(`${issuer}/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ redirect_uris: redirectUris, token_endpoint_auth_method: 'none' }),
  });
}

describe('development authorization server: registrations', () => {
  it('caps the clients one address registers: 429 naming maxRegistrationsPerAddress, with Retry-After', async () => {
    const as = await startDevAs({ maxRegistrationsPerAddress: 3 });
    for (let i = 0; i < 3; i++) expect((await registerAt(as.issuer)).status).toBe(201);
    const refused = await registerAt(as.issuer);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('60');
    const body = (await refused.json()) as { error: string; error_description: string };
    expect(body.error).toBe('temporarily_unavailable');
    expect(body.error_description).toContain('maxRegistrationsPerAddress');
  });

  it('by default an address may not register without end', async () => {
    const as = await startDevAs();
    const statuses: number[] = [];
    for (let i = 0; i < 101; i++) statuses.push((await registerAt(as.issuer)).status);
    expect(statuses.slice(0, 100).every((s) => s === 201)).toBe(true);
    expect(statuses[100]).toBe(429);
  });

  it('caps the clients held in all: 503 naming maxClients', async () => {
    const as = await startDevAs({ maxClients: 2 });
    as.server.addClient({ redirect_uris: [REDIRECT_URI] });
    expect((await registerAt(as.issuer)).status).toBe(201);
    const full = await registerAt(as.issuer);
    expect(full.status).toBe(503);
    expect(((await full.json()) as { error_description: string }).error_description).toContain('maxClients');
  });

  it('refuses redirect URIs with a user name or password, at registration and in metadata documents', async () => {
    const as = await startDevAs();
    for (const uri of [
      'https://user:pw@app.example/cb',
      'https://user@app.example/cb',
      'http://u:p@127.0.0.1:8977/cb',
    ]) {
      const r = await registerAt(as.issuer, [uri]);
      expect(r.status, uri).toBe(400);
      const body = (await r.json()) as { error: string; error_description: string };
      expect(body.error).toBe('invalid_redirect_uri');
      expect(body.error_description).toContain('userinfo');
    }
    const withUserinfo = 'http://u:p@127.0.0.1:8977/callback';
    const docServer = await serveHttp(
      async (request) =>
        Response.json({ client_id: request.url, client_name: 'x', redirect_uris: [withUserinfo] }),
      { port: 0 },
    );
    cleanup.push(() => docServer.close());
    const clientId = `http://localhost:${docServer.port}/client.json`;
    const url = new URL(`${as.issuer}/authorize`);
    for (const [k, v] of Object.entries({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: withUserinfo,
      code_challenge: 'a'.repeat(43),
      code_challenge_method: 'S256',
    }))
      url.searchParams.set(k, v);
    const refused = await fetch(url, { redirect: 'manual' });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('user name or password');
  });
});
