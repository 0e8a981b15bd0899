/** How a mount renames what it mounts: `prefix_name` for tools and prompts, prefixed URIs for resources. */

import type { UriPrefixStyle } from '../server/index.ts';

export type { UriPrefixStyle };

/** Renames one mount's names and URIs, and reads them back. */
export class MountNames {
  readonly #prefix: string;
  readonly #separator: string;
  readonly #style: UriPrefixStyle;

  constructor(prefix: string, separator: string, style: UriPrefixStyle) {
    if (prefix !== '' && !/^[A-Za-z][A-Za-z0-9.-]*$/.test(prefix)) {
      throw new Error(
        `A mount prefix starts with a letter and holds only letters, digits, '.' and '-' (it also goes into URIs); got '${prefix}'.`,
      );
    }
    this.#prefix = prefix;
    this.#separator = separator;
    this.#style = style;
  }

  /** The name a tool or prompt gets on the mounting server. */
  name(upstream: string): string {
    return this.#prefix === '' ? upstream : `${this.#prefix}${this.#separator}${upstream}`;
  }

  /**
   * The URI (or URI template) a resource gets: `prefix+scheme:rest` in 'scheme' style,
   * `scheme://prefix/rest` in 'path' style. URIs without `://` always use the scheme style.
   */
  uri(upstream: string): string {
    if (this.#prefix === '') return upstream;
    const colon = upstream.indexOf(':');
    if (colon <= 0) return `${this.#prefix}+${upstream}`;
    const scheme = upstream.slice(0, colon);
    const rest = upstream.slice(colon + 1);
    if (this.#style === 'path' && rest.startsWith('//')) {
      return `${scheme}://${this.#prefix}/${rest.slice(2)}`;
    }
    return `${this.#prefix}+${scheme}:${rest}`;
  }

  /** The upstream URI behind a mounted one, or undefined when the URI is not of this mount. */
  upstreamUri(mounted: string): string | undefined {
    if (this.#prefix === '') return mounted;
    const scheme = `${this.#prefix}+`;
    if (mounted.startsWith(scheme)) return mounted.slice(scheme.length);
    const marker = `://${this.#prefix}/`;
    const at = mounted.indexOf(marker);
    if (this.#style === 'path' && at > 0 && !mounted.slice(0, at).includes('/')) {
      return `${mounted.slice(0, at)}://${mounted.slice(at + marker.length)}`;
    }
    return undefined;
  }
}
