/** The version of mcpkit, read from its package.json (two folders up, in src/ and in dist/ alike). */
import { readFileSync } from 'node:fs';

function readVersion(): string {
  try {
    const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
    const version = (JSON.parse(text) as { version?: unknown }).version;
    return typeof version === 'string' ? version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** The version of mcpkit. */
export const VERSION: string = readVersion();
