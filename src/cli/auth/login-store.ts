/**
 * The token file of the command. Tokens are filed under the URL they were obtained for, and also
 * serve every other URL their resource covers: one login to `http://host/mcp`, whose tokens name the
 * resource `http://host/`, works for `http://host/sse` too, and a refresh through either URL
 * replaces the one stored login.
 */
import { resourceCovers, type StoredTokens } from '../../auth/index.ts';
import { FileTokenStore } from '../../node/index.ts';

/** A FileTokenStore (mode 0600) where a login also serves the URLs its resource covers. */
export class LoginStore extends FileTokenStore {
  /** The tokens stored for `server`, else those of a login whose resource covers it. */
  override async getTokens(server: string): Promise<StoredTokens | undefined> {
    const key = await this.#keyFor(server);
    return key === undefined ? undefined : super.getTokens(key);
  }

  /** Saves under the key of the login `server` uses (its own if none); undefined forgets that login. */
  override async setTokens(server: string, tokens: StoredTokens | undefined): Promise<void> {
    const key = (await this.#keyFor(server, tokens)) ?? server;
    await super.setTokens(key, tokens);
  }

  /** The key of the login that serves `server`: its own, or one whose resource covers it (same issuer, if given). */
  async #keyFor(server: string, like?: StoredTokens): Promise<string | undefined> {
    const all = (await this.load()).tokens;
    if (all[server]) return server;
    const url = URL.canParse(server) ? new URL(server) : undefined;
    if (!url) return undefined;
    return Object.keys(all).find((key) => {
      const t = all[key] as StoredTokens;
      if (like && (t.issuer !== like.issuer || t.resource !== like.resource)) return false;
      return t.resource !== '' && resourceCovers(t.resource, url);
    });
  }
}
