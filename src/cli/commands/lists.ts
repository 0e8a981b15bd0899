/** `mcpkit tools | resources | templates | prompts`: every page of a list, as a table or JSON. */
import type { McpClient } from '../../client/index.ts';
import type { Prompt, Resource, ResourceTemplate, ServerCapabilities, Tool } from '../../protocol/index.ts';
import { firstLine, renderTable } from '../render/table.ts';
import { parameterSummary } from '../schema-text.ts';
import type { ClientOptions } from '../session.ts';
import type { Terminal } from '../terminal.ts';
import { printJson, splitTarget, withSession } from './run.ts';

/** The lists the command shows. */
export type ListKind = 'tools' | 'resources' | 'templates' | 'prompts';

const CAPABILITY: Record<ListKind, keyof ServerCapabilities> = {
  tools: 'tools',
  resources: 'resources',
  templates: 'resources',
  prompts: 'prompts',
};

/** Collects every item of a list, page by page. */
export async function collect<T>(items: AsyncGenerator<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

function describe(item: { title?: unknown; description?: unknown }): string {
  return firstLine(item.description) || firstLine(item.title);
}

function promptArguments(p: Prompt): string {
  return (p.arguments ?? []).map((a) => `${a.name}${a.required ? '*' : ''}`).join(' ');
}

async function fetchList(client: McpClient, kind: ListKind): Promise<unknown[]> {
  switch (kind) {
    case 'tools':
      return collect(client.iterateTools());
    case 'resources':
      return collect(client.iterateResources());
    case 'templates':
      return collect(client.iterateResourceTemplates());
    case 'prompts':
      return collect(client.iteratePrompts());
  }
}

function table(kind: ListKind, items: unknown[], term: Terminal): string {
  const colors = term.out;
  const width = term.stdoutIsTTY ? term.width : undefined;
  switch (kind) {
    case 'tools':
      return renderTable(
        ['NAME', 'ARGUMENTS', 'DESCRIPTION'],
        (items as Tool[]).map((t) => [t.name, parameterSummary(t.inputSchema), describe(t)]),
        { colors, width },
      );
    case 'resources':
      return renderTable(
        ['URI', 'NAME', 'TYPE', 'DESCRIPTION'],
        (items as Resource[]).map((r) => [r.uri, r.name, r.mimeType ?? '', describe(r)]),
        { colors, width },
      );
    case 'templates':
      return renderTable(
        ['URI TEMPLATE', 'NAME', 'TYPE', 'DESCRIPTION'],
        (items as ResourceTemplate[]).map((r) => [r.uriTemplate, r.name, r.mimeType ?? '', describe(r)]),
        { colors, width },
      );
    case 'prompts':
      return renderTable(
        ['NAME', 'ARGUMENTS', 'DESCRIPTION'],
        (items as Prompt[]).map((p) => [p.name, promptArguments(p), describe(p)]),
        { colors, width },
      );
  }
}

/** Runs one of the list commands. */
export async function listCommand(
  kind: ListKind,
  words: string[],
  options: ClientOptions,
  term: Terminal,
): Promise<number> {
  const p = splitTarget(words, options);
  return withSession(p.target, options, term, async ({ client }) => {
    const capability = CAPABILITY[kind];
    const items = client.serverCapabilities[capability] ? await fetchList(client, kind) : [];
    if (options.json) {
      printJson(term, items);
      return 0;
    }
    if (items.length === 0) {
      const why = client.serverCapabilities[capability]
        ? ''
        : ` (the server did not declare the '${capability}' capability)`;
      term.note(term.err.dim(`No ${kind === 'templates' ? 'resource templates' : kind}${why}.`));
      return 0;
    }
    term.print(table(kind, items, term));
    return 0;
  });
}
