/**
 * Registering one upstream tool, prompt, resource or template on the mounting server: a local
 * registration whose handler calls the upstream through the relay.
 */
import type { McpClient } from '../client/index.ts';
import type {
  Prompt,
  ReadResourceResult,
  Resource,
  ResourceContents,
  ResourceTemplate,
  Tool,
} from '../protocol/index.ts';
import type { Completer, McpServer, Registered } from '../server/index.ts';
import { UriTemplate } from '../server/index.ts';
import type { MountNames } from './names.ts';
import type { UpstreamRelay } from './relay.ts';

/** What the registrations of one mount share. */
export interface MountContext {
  readonly server: McpServer;
  readonly client: McpClient;
  readonly relay: UpstreamRelay;
  readonly names: MountNames;
}

/** Registers an upstream tool as `prefix_name`. */
export function registerTool(m: MountContext, tool: Tool): Registered {
  const { relay, client } = m;
  return m.server.tool(
    m.names.name(tool.name),
    {
      title: tool.title,
      description: tool.description,
      input: tool.inputSchema,
      output: tool.outputSchema,
      annotations: tool.annotations,
      icons: tool.icons,
      _meta: tool._meta,
    },
    (args, ctx) =>
      relay.run(ctx, (signal) =>
        client.callTool(tool.name, args, { signal, onprogress: relay.progressFor(ctx) }),
      ),
  );
}

/** Registers an upstream prompt as `prefix_name`, with completion of its arguments through the mount. */
export function registerPrompt(m: MountContext, prompt: Prompt): Registered {
  const { relay, client } = m;
  const names = (prompt.arguments ?? []).map((a) => a.name);
  return m.server.prompt(
    m.names.name(prompt.name),
    {
      title: prompt.title,
      description: prompt.description,
      arguments: prompt.arguments ?? [],
      icons: prompt.icons,
      _meta: prompt._meta,
      complete: completers(m, names, { type: 'ref/prompt', name: prompt.name }),
    },
    (args, ctx) => relay.run(ctx, (signal) => client.getPrompt(prompt.name, args, { signal })),
  );
}

/** Registers an upstream resource under its prefixed URI. */
export function registerResource(m: MountContext, resource: Resource): Registered {
  const { relay, client } = m;
  const { uri, ...definition } = resource;
  return m.server.resource(m.names.uri(uri), definition, (_uri, ctx) =>
    relay.run(ctx, async (signal) => prefixContents(m, await client.readResource(uri, { signal }))),
  );
}

/** Registers an upstream resource template under its prefixed URI, with completion of its variables. */
export function registerTemplate(m: MountContext, template: ResourceTemplate): Registered {
  const { relay, client } = m;
  const { uriTemplate, ...definition } = template;
  const variables = new UriTemplate(uriTemplate).variableNames;
  return m.server.resourceTemplate(
    m.names.uri(uriTemplate),
    {
      ...definition,
      complete: completers(m, variables, { type: 'ref/resource', uri: uriTemplate }),
    },
    (uri, _variables, ctx) =>
      relay.run(ctx, async (signal) => {
        const upstream = m.names.upstreamUri(uri) ?? uri;
        return prefixContents(m, await client.readResource(upstream, { signal }));
      }),
  );
}

/** The contents of a read, with their URIs prefixed as the mount lists them. */
function prefixContents(m: MountContext, result: ReadResourceResult): ReadResourceResult {
  const contents = result.contents.map((c) => ({ ...c, uri: m.names.uri(c.uri) }) as ResourceContents);
  return { ...result, contents };
}

/** Completers that ask the upstream, for each argument or variable; none when it offers no completion. */
function completers(
  m: MountContext,
  names: readonly string[],
  ref: { type: 'ref/prompt'; name: string } | { type: 'ref/resource'; uri: string },
): Record<string, Completer> | undefined {
  if (!m.client.serverCapabilities.completions) return undefined;
  const out: Record<string, Completer> = {};
  for (const name of names) {
    out[name] = async (value, context) => {
      const result = await m.client.complete({
        ref,
        argument: { name, value },
        context: { arguments: context.arguments },
      } as Parameters<McpClient['complete']>[0]);
      return result.completion.values;
    };
  }
  return out;
}
