/** Plain-text tables: a header row, aligned columns, the last column cut to the width available. */
import type { Colors } from '../terminal.ts';

/** Options of renderTable. */
export interface TableOptions {
  /** Total width to fit in; the last column is shortened to fit (undefined: no limit). */
  width?: number;
  /** Colours for the header. */
  colors: Colors;
}

/** The first line of a text, whitespace collapsed. */
export function firstLine(text: unknown): string {
  if (typeof text !== 'string') return '';
  const line = text.trim().split('\n')[0] ?? '';
  return line.replace(/\s+/g, ' ');
}

function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return text.slice(0, Math.max(0, max));
  return `${text.slice(0, max - 1)}…`;
}

/** Renders rows under a header; empty cells are fine. */
export function renderTable(
  header: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
  options: TableOptions,
): string {
  const gap = '  ';
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const last = header.length - 1;
  if (options.width !== undefined) {
    const before = widths.slice(0, last).reduce((a, b) => a + b + gap.length, 0);
    widths[last] = Math.max(10, Math.min(widths[last] as number, options.width - before));
  }
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === last ? cut(c, widths[i] as number) : c.padEnd(widths[i] as number)))
      .join(gap)
      .trimEnd();
  const head = options.colors.bold(line(header));
  return [head, ...rows.map(line)].join('\n');
}
