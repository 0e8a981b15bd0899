/**
 * The SDK v2 interop feature tests again, over Streamable HTTP and stdio, each ending with a check of
 * every message the server sent against the 2026-07-28 schema, strictly (run by `npm run test:schemas`).
 */
import { describe, expect, it } from 'vitest';
import { featureTests, httpSession, stdioSession } from './support/interop-v2-features.ts';
import { serverMessageProblems } from './support/sdk-v2-client.ts';

describe('SDK v2 client (2026-07-28) ↔ reference server over Streamable HTTP, on the schema', () => {
  const { session } = httpSession();

  featureTests(() => session);

  it('sent only messages that the 2026-07-28 schema allows (strict), as the client parsed them', () => {
    const { wire } = session.transport;
    expect(wire.received.length).toBeGreaterThan(40);
    expect(serverMessageProblems(wire)).toEqual([]);
  });
});

describe('SDK v2 client (2026-07-28) ↔ reference server over stdio, on the schema', () => {
  const session = stdioSession();

  featureTests(() => session);

  it('wrote only messages that the 2026-07-28 schema allows (strict)', () => {
    const { wire } = session.transport;
    expect(wire.received.length).toBeGreaterThan(40);
    expect(serverMessageProblems(wire)).toEqual([]);
  });
});
