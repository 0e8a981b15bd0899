/** What every route of the handler shares. */
import type { ResolvedOptions, SessionHost } from './options.ts';
import type { SessionRegistry } from './registry.ts';

/** The host, the options and the live sessions of one handler. */
export interface HandlerContext {
  readonly host: SessionHost;
  readonly options: ResolvedOptions;
  readonly registry: SessionRegistry;
}
