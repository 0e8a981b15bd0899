/** Results as readable text: content blocks, tool results, resource contents, prompt messages. */
import type {
  CallToolResult,
  GetPromptResult,
  ReadResourceResult,
  ResourceContents,
} from '../../protocol/index.ts';
import type { Colors } from '../terminal.ts';

type Obj = Record<string, unknown>;

/** The number of bytes a base64 text decodes to. */
export function base64Size(data: unknown): number {
  if (typeof data !== 'string') return 0;
  const clean = data.replace(/\s/g, '');
  const padding = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((clean.length * 3) / 4) - padding);
}

function bytes(n: number): string {
  return n === 1 ? '1 byte' : `${n} bytes`;
}

function contents(c: ResourceContents | Obj, colors: Colors, header: boolean): string {
  const r = c as Obj;
  const mime = typeof r.mimeType === 'string' ? r.mimeType : undefined;
  if (typeof r.text === 'string') {
    if (!header) return r.text;
    return `${colors.dim(`── ${String(r.uri)}${mime ? ` (${mime})` : ''} ──`)}\n${r.text}`;
  }
  const size = base64Size(r.blob);
  return colors.dim(`[binary ${String(r.uri)}${mime ? `, ${mime}` : ''}, ${bytes(size)}]`);
}

/** One content block as text. */
export function renderBlock(block: Obj, colors: Colors): string {
  const mime = typeof block.mimeType === 'string' ? block.mimeType : 'unknown type';
  switch (block.type) {
    case 'text':
      return String(block.text ?? '');
    case 'image':
    case 'audio':
      return colors.dim(`[${block.type} ${mime}, ${bytes(base64Size(block.data))}]`);
    case 'resource_link': {
      const name = typeof block.title === 'string' ? block.title : String(block.name ?? '');
      const description = typeof block.description === 'string' ? ` — ${block.description}` : '';
      return `${colors.dim('[link]')} ${colors.cyan(String(block.uri))} ${name}${description}`.trimEnd();
    }
    case 'resource':
      return contents((block.resource ?? {}) as Obj, colors, true);
    default:
      return colors.dim(`[${String(block.type)}] ${JSON.stringify(block)}`);
  }
}

/** Content blocks, one after another. */
export function renderBlocks(blocks: unknown, colors: Colors): string {
  const list = Array.isArray(blocks) ? blocks : blocks === undefined ? [] : [blocks];
  return list.map((b) => renderBlock(b as Obj, colors)).join('\n');
}

/** JSON with object keys sorted, so that the same value written in another key order compares equal. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** A tool result: its content, then its structured content when no text block already shows it. */
export function renderToolResult(result: CallToolResult, colors: Colors): string {
  const parts: string[] = [];
  const content = (result.content ?? []) as unknown as Obj[];
  if (content.length > 0) parts.push(renderBlocks(content, colors));
  if (result.structuredContent !== undefined) {
    const json = canonicalJson(result.structuredContent);
    const shown = content.some((b) => {
      if (b.type !== 'text' || typeof b.text !== 'string') return false;
      try {
        return canonicalJson(JSON.parse(b.text)) === json;
      } catch {
        return false;
      }
    });
    if (!shown) {
      const pretty = JSON.stringify(result.structuredContent, null, 2);
      parts.push(content.length > 0 ? `${colors.dim('structured content:')}\n${pretty}` : pretty);
    }
  }
  return parts.join('\n');
}

/** The contents of a read resource. */
export function renderReadResult(result: ReadResourceResult, colors: Colors): string {
  const list = (result.contents ?? []) as unknown as Obj[];
  return list.map((c) => contents(c, colors, list.length > 1)).join('\n');
}

/** A prompt's messages, each under its role. */
export function renderPrompt(result: GetPromptResult, colors: Colors): string {
  const parts: string[] = [];
  if (typeof result.description === 'string') parts.push(colors.dim(result.description));
  for (const m of result.messages ?? []) {
    parts.push(colors.bold(`── ${m.role} ──`));
    parts.push(renderBlocks(m.content, colors));
  }
  return parts.join('\n');
}
