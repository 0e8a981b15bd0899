/** Unguessable identifiers for sessions and streams. */

/** A random token of `bytes` bytes from the platform's secure generator, as lowercase hex. */
export function randomToken(bytes = 16): string {
  const buffer = crypto.getRandomValues(new Uint8Array(bytes));
  let out = '';
  for (const b of buffer) out += b.toString(16).padStart(2, '0');
  return out;
}

/** A new session id: 128 random bits, visible ASCII only (0x21–0x7E), as the transports require. */
export function newSessionId(): string {
  return randomToken(16);
}
