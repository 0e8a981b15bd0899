/** `mcpkit info`: who the server is, which revision and era, what it offers, its instructions. */
import type { ServerCapabilities } from '../../protocol/index.ts';
import type { ClientOptions } from '../session.ts';
import type { Terminal } from '../terminal.ts';
import { printJson, splitTarget, withSession } from './run.ts';

/** The capabilities as `tools (listChanged), resources (subscribe, listChanged), logging`. */
export function describeCapabilities(caps: ServerCapabilities): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(caps)) {
    if (value === undefined) continue;
    const flags =
      typeof value === 'object' && value !== null
        ? Object.entries(value as Record<string, unknown>)
            .filter(([, v]) => v !== false && v !== undefined)
            .map(([k]) => k)
        : [];
    parts.push(flags.length > 0 ? `${name} (${flags.join(', ')})` : name);
  }
  return parts.length > 0 ? parts.join(', ') : '(none)';
}

/** Runs `info`. */
export async function infoCommand(words: string[], options: ClientOptions, term: Terminal): Promise<number> {
  const p = splitTarget(words, options);
  return withSession(p.target, options, term, async ({ client, connection }) => {
    const info = client.serverInfo;
    if (options.json) {
      printJson(term, {
        serverInfo: info,
        protocolVersion: client.revision,
        era: client.era,
        transport: connection.describe(),
        capabilities: client.serverCapabilities,
        instructions: client.instructions,
      });
      return 0;
    }
    const c = term.out;
    const lines: string[] = [`${c.bold(info.name)} ${info.version}`];
    if (info.title && info.title !== info.name) lines.push(`  ${info.title}`);
    if (typeof info.description === 'string') lines.push(`  ${info.description}`);
    if (typeof info.websiteUrl === 'string') lines.push(`  ${c.cyan(info.websiteUrl)}`);
    const row = (label: string, value: string) => `${c.dim(label.padEnd(13))}${value}`;
    lines.push(row('revision', `${client.revision} (${client.era} era)`));
    lines.push(row('transport', connection.describe()));
    lines.push(row('capabilities', describeCapabilities(client.serverCapabilities)));
    const instructions = client.instructions;
    if (instructions) {
      lines.push(c.dim('instructions'));
      lines.push(
        instructions
          .trimEnd()
          .split('\n')
          .map((l) => `  ${l}`.trimEnd())
          .join('\n'),
      );
    }
    term.print(lines.join('\n'));
    return 0;
  });
}
