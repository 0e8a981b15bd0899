/**
 * A registry of named entries (tools, prompts, resources) shared by every session. It keeps the
 * insertion order (deterministic lists), a version that changes on every mutation, and a cache of
 * the listed form per revision, so that a list request costs a lookup, not a rebuild.
 */

/** A named collection whose changes are announced. */
export class Registry<Entry> {
  #entries = new Map<string, Entry>();
  #cache = new Map<string, unknown>();
  #onChange: () => void;

  constructor(onChange: () => void) {
    this.#onChange = onChange;
  }

  /** Adds or replaces an entry. */
  set(key: string, entry: Entry): void {
    this.#entries.set(key, entry);
    this.changed();
  }

  /** Removes an entry; returns whether it was there. */
  delete(key: string): boolean {
    const had = this.#entries.delete(key);
    if (had) this.changed();
    return had;
  }

  /** Looks an entry up. */
  get(key: string): Entry | undefined {
    return this.#entries.get(key);
  }

  /** The number of entries. */
  get size(): number {
    return this.#entries.size;
  }

  /** The entries in insertion order. */
  values(): IterableIterator<Entry> {
    return this.#entries.values();
  }

  /** Marks the registry changed: drops cached lists and announces it. */
  changed(): void {
    this.#cache.clear();
    this.#onChange();
  }

  /** A cached value derived from the entries, computed once per change and key. */
  cached<T>(key: string, build: () => T): T {
    let value = this.#cache.get(key) as T | undefined;
    if (value === undefined) {
      value = build();
      this.#cache.set(key, value);
    }
    return value;
  }
}
