/** Token introspection (RFC 7662) for resource servers that prefer asking over checking JWTs. */
import { jwtVerify } from 'jose';
import { authenticateClient, json, readForm } from './http.ts';
import type { DevClient, DevState } from './state.ts';

/** Handles POST /introspect; only confidential clients may ask. */
export async function introspect(
  state: DevState,
  request: Request,
  lookup: (clientId: string) => Promise<DevClient | undefined>,
): Promise<Response> {
  const form = await readForm(request);
  if (form instanceof Response) return form;
  const client = await authenticateClient(request, form, lookup);
  if (client instanceof Response) return client;
  if (client.token_endpoint_auth_method === 'none') {
    return json(
      { error: 'invalid_client', error_description: 'Only confidential clients may introspect.' },
      401,
    );
  }
  const token = form.get('token') ?? '';
  try {
    const { payload } = await jwtVerify(token, state.publicKey, {
      issuer: state.issuer,
      typ: 'at+jwt',
    });
    return json({ active: true, token_type: payload.cnf ? 'DPoP' : 'Bearer', ...payload });
  } catch {
    return json({ active: false });
  }
}
