/** What every route of the handler shares. */
import type { Cluster } from './cluster/cluster.ts';
import type { ModernExchange } from './modern/exchange.ts';
import type { ModernCheckHost } from './modern/modern-check.ts';
import type { ResolvedOptions, SessionHost } from './options.ts';
import type { SessionRegistry } from './sessions/registry.ts';

/** The host, the options, the live sessions and the 2026-07-28 requests in flight of one handler. */
export interface HandlerContext {
  readonly host: SessionHost;
  readonly options: ResolvedOptions;
  readonly registry: SessionRegistry;
  /** The stateless revision: whether the host serves it, and the versions it lists. */
  readonly modern: ModernCheckHost & { readonly enabled: boolean };
  /** The 2026-07-28 requests being served right now. */
  readonly exchanges: Set<ModernExchange>;
  /** Present in cluster mode (the `bus` option). */
  readonly cluster?: Cluster;
}
