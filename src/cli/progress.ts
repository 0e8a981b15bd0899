/** Progress notifications as a bar, and log messages as lines, both on stderr. */
import type { McpClient } from '../client/index.ts';
import type { LoggingMessageParams, ProgressParams } from '../protocol/index.ts';
import type { Colors, Terminal } from './terminal.ts';

const BAR_WIDTH = 24;

/** One progress notification as a bar: `[=========>      ] 40% 2/5 message`. */
export function progressLine(p: ProgressParams, colors: Colors): string {
  const message = typeof p.message === 'string' && p.message !== '' ? ` ${p.message}` : '';
  if (typeof p.total === 'number' && p.total > 0) {
    const ratio = Math.max(0, Math.min(1, p.progress / p.total));
    const filled = Math.round(ratio * BAR_WIDTH);
    const bar = '='.repeat(Math.max(0, filled - 1)) + (filled > 0 ? (filled === BAR_WIDTH ? '=' : '>') : '');
    const pct = `${Math.round(ratio * 100)}%`.padStart(4);
    return `${colors.cyan(`[${bar.padEnd(BAR_WIDTH)}]`)} ${pct} ${p.progress}/${p.total}${message}`;
  }
  return `${colors.cyan('[progress]')} ${p.progress}${message}`;
}

const LEVEL_COLOR: Record<string, keyof Colors> = {
  debug: 'dim',
  info: 'blue',
  notice: 'cyan',
  warning: 'yellow',
  error: 'red',
  critical: 'red',
  alert: 'red',
  emergency: 'red',
};

/** One log message as a line: `[warning] logger: data`. */
export function logLine(m: LoggingMessageParams, colors: Colors): string {
  const color = colors[LEVEL_COLOR[m.level] ?? 'reset'] as (s: string) => string;
  const logger = typeof m.logger === 'string' ? `${m.logger}: ` : '';
  const data = typeof m.data === 'string' ? m.data : JSON.stringify(m.data);
  return `${color(`[${m.level}]`)} ${logger}${data}`;
}

/** Shows progress and logs of a client on the terminal's stderr. */
export function showActivity(term: Terminal, client: McpClient, quiet: boolean): () => void {
  if (quiet) return () => {};
  const offProgress = client.on('progress', (p) => term.status(progressLine(p, term.err)));
  const offLog = client.on('log', (m) => term.note(logLine(m, term.err)));
  return () => {
    offProgress();
    offLog();
    term.status(undefined);
  };
}
