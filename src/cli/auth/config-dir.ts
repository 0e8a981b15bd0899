/** Where `mcpkit` keeps its files: `$MCPKIT_CONFIG_DIR`, else `$XDG_CONFIG_HOME/mcpkit`, else `~/.config/mcpkit`. */
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The directory of mcpkit's own files (not created here). */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MCPKIT_CONFIG_DIR) return env.MCPKIT_CONFIG_DIR;
  if (env.XDG_CONFIG_HOME) return join(env.XDG_CONFIG_HOME, 'mcpkit');
  if (process.platform === 'win32' && env.APPDATA) return join(env.APPDATA, 'mcpkit');
  return join(homedir(), '.config', 'mcpkit');
}

/** The file of stored logins: tokens per MCP server, client registrations per authorization server. */
export function tokenFilePath(env: NodeJS.ProcessEnv = process.env): string {
  return join(configDir(env), 'tokens.json');
}
