/**
 * Mounting a server into another: every tool, prompt, resource and template of the child appears on
 * the parent under a prefix, and stays in step with the child (list_changed, resource updates,
 * completion, and the child's requests to the client, relayed to the request that caused them).
 */
import { McpClient } from '../client/index.ts';
import type { LoggingLevel } from '../protocol/index.ts';
import type { Middleware } from '../rpc/index.ts';
import type { McpServer, Mount, MountOptions, Registered } from '../server/index.ts';
import { createMemoryPair } from '../transport/index.ts';
import {
  type MountContext,
  registerPrompt,
  registerResource,
  registerTemplate,
  registerTool,
} from './entries.ts';
import { MountNames } from './names.ts';
import { createUpstreamClient, relayOf, UpstreamRelay } from './relay.ts';

export type { Mount, MountOptions };

type Kind = 'tools' | 'prompts' | 'resources';

/** Mounts `child` (an McpServer of this process, or a connected McpClient) into `server` under `prefix`. */
export async function mount(
  server: McpServer,
  prefix: string,
  child: McpServer | McpClient,
  options: MountOptions = {},
): Promise<Mount> {
  const names = new MountNames(prefix, options.separator ?? '_', options.uriStyle ?? 'scheme');
  const owned = !(child instanceof McpClient);
  const client = child instanceof McpClient ? child : await connectInProcess(child);
  const mounted = new MountedChild(
    { server, client, relay: relayOf(client) ?? new UpstreamRelay(), names },
    prefix,
    owned,
    options,
  );
  try {
    await mounted.start();
  } catch (error) {
    await mounted.unmount();
    throw new Error(`Could not mount '${prefix}': ${(error as Error).message}`, { cause: error });
  }
  return mounted;
}

async function connectInProcess(child: McpServer): Promise<McpClient> {
  const [near, far] = createMemoryPair();
  const client = createUpstreamClient({ name: 'mcpkit-mount', version: '1.0.0', era: 'legacy' });
  await child.connect(far);
  await client.connect(near);
  return client;
}

class MountedChild implements Mount {
  readonly prefix: string;
  readonly client: McpClient;
  readonly #m: MountContext;
  readonly #owned: boolean;
  readonly #options: MountOptions;
  readonly #handles: Record<Kind, Registered[]> = { tools: [], prompts: [], resources: [] };
  readonly #off: Array<() => void> = [];
  readonly #syncing = new Map<Kind, Promise<void>>();
  readonly #dirty = new Set<Kind>();
  readonly #listening = new AbortController();
  #active = true;

  constructor(m: MountContext, prefix: string, owned: boolean, options: MountOptions) {
    this.#m = m;
    this.prefix = prefix;
    this.client = m.client;
    this.#owned = owned;
    this.#options = options;
  }

  async start(): Promise<void> {
    const { client, server } = this.#m;
    const lists = await Promise.all([this.#list('tools'), this.#list('prompts'), this.#list('resources')]);
    this.#replace('tools', lists[0], true);
    this.#replace('prompts', lists[1], true);
    this.#replace('resources', lists[2], true);
    this.#off.push(
      client.on('toolsListChanged', () => this.#sync('tools')),
      client.on('promptsListChanged', () => this.#sync('prompts')),
      client.on('resourcesListChanged', () => this.#sync('resources')),
      client.on('resourceUpdated', (uri) => {
        server.resourceUpdated(this.#m.names.uri(uri)).catch((e: Error) => this.#report(e));
      }),
      client.on('close', (reason) => this.#closed(reason)),
    );
    if (client.capabilities.roots) {
      this.#off.push(
        server.on('rootsListChanged', () => {
          client.sendRootsListChanged().catch(() => {});
        }),
      );
    }
    server.use(this.#forward());
    this.#m.relay.idleLog = (message) => {
      if (!this.#active) return;
      for (const s of server.sessions) {
        if (s.shouldLog(message.level)) s.notify('notifications/message', { ...message }).catch(() => {});
      }
    };
    if (client.era === 'modern') this.#listen();
  }

  refresh(): Promise<void> {
    return Promise.all([this.#sync('tools'), this.#sync('prompts'), this.#sync('resources')]).then(() => {});
  }

  async unmount(): Promise<void> {
    if (!this.#active) return;
    this.#stop();
    if (this.#owned) await this.client.close().catch(() => {});
  }

  #stop(): void {
    this.#active = false;
    this.#listening.abort();
    for (const off of this.#off.splice(0)) off();
    for (const kind of ['tools', 'prompts', 'resources'] as const) {
      for (const h of this.#handles[kind].splice(0)) h.remove();
    }
  }

  #closed(reason: Error | undefined): void {
    if (!this.#active) return;
    this.#stop();
    this.#options.onClose?.(reason);
  }

  #report(error: Error): void {
    if (!this.#active) return;
    const report = this.#options.onError ?? ((e: Error) => console.error('mcpkit mount:', e.message));
    report(new Error(`Mount '${this.prefix}': ${error.message}`, { cause: error }));
  }

  /** Lists one kind of the child (nothing when the child does not offer it): one registration per entry. */
  async #list(kind: Kind): Promise<Array<() => Registered>> {
    const m = this.#m;
    const caps = m.client.serverCapabilities;
    if (kind === 'tools') {
      if (!caps.tools) return [];
      return (await collect(m.client.iterateTools())).map((t) => () => registerTool(m, t));
    }
    if (kind === 'prompts') {
      if (!caps.prompts) return [];
      return (await collect(m.client.iteratePrompts())).map((p) => () => registerPrompt(m, p));
    }
    if (!caps.resources) return [];
    const [resources, templates] = await Promise.all([
      collect(m.client.iterateResources()),
      collect(m.client.iterateResourceTemplates()),
    ]);
    return [
      ...resources.map((r) => () => registerResource(m, r)),
      ...templates.map((t) => () => registerTemplate(m, t)),
    ];
  }

  /**
   * Replaces the entries of one kind, in one go (the parent's clients get one list_changed). At
   * the first mount an entry that cannot be registered (a name already taken) fails the mount;
   * later it is reported and left out, and the others are registered.
   */
  #replace(kind: Kind, registrations: Array<() => Registered>, strict: boolean): void {
    for (const h of this.#handles[kind].splice(0)) h.remove();
    for (const register of registrations) {
      try {
        this.#handles[kind].push(register());
      } catch (error) {
        if (strict) throw error;
        this.#report(error as Error);
      }
    }
  }

  /** Re-lists one kind after a list_changed; changes that come during a re-list cause one more. */
  #sync(kind: Kind): Promise<void> {
    const running = this.#syncing.get(kind);
    if (running) {
      this.#dirty.add(kind);
      return running;
    }
    const run = (async () => {
      do {
        this.#dirty.delete(kind);
        try {
          const registrations = await this.#list(kind);
          if (this.#active) this.#replace(kind, registrations, false);
        } catch (error) {
          this.#report(error as Error);
        }
      } while (this.#dirty.has(kind) && this.#active);
    })().finally(() => this.#syncing.delete(kind));
    this.#syncing.set(kind, run);
    return run;
  }

  /** A 2026-07-28 child tells of changes on a `subscriptions/listen` stream. */
  #listen(): void {
    const caps = this.#m.client.serverCapabilities;
    const wanted = {
      toolsListChanged: caps.tools?.listChanged === true,
      promptsListChanged: caps.prompts?.listChanged === true,
      resourcesListChanged: caps.resources?.listChanged === true,
    };
    if (!wanted.toolsListChanged && !wanted.promptsListChanged && !wanted.resourcesListChanged) return;
    this.#m.client.listen(wanted, { signal: this.#listening.signal }).catch((error: Error) => {
      if (!this.#listening.signal.aborted) this.#report(error);
    });
  }

  /**
   * Passes on to the child the parent's subscriptions to URIs of this mount, and the log level the
   * parent's clients set.
   */
  #forward(): Middleware {
    return async (request, next) => {
      const method = request.method;
      if (request.direction !== 'inbound' || !this.#active) return next();
      const caps = this.client.serverCapabilities;
      if (method === 'logging/setLevel' && caps.logging) {
        const result = await next();
        await this.client.setLoggingLevel(request.params?.level as LoggingLevel);
        return result;
      }
      if (method !== 'resources/subscribe' && method !== 'resources/unsubscribe') return next();
      const uri = request.params?.uri;
      const upstream = typeof uri === 'string' ? this.#m.names.upstreamUri(uri) : undefined;
      if (upstream === undefined || !caps.resources?.subscribe) return next();
      const result = await next();
      if (method === 'resources/subscribe') await this.client.subscribeResource(upstream);
      else if (![...this.#m.server.sessions].some((s) => s.isSubscribed(uri as string)))
        await this.client.unsubscribeResource(upstream);
      return result;
    };
  }
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
