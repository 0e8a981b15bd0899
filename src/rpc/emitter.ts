/** A small typed event emitter (web-standard: no node:events). */

/** Listeners keyed by event name. */
export class Emitter<Events extends Record<string, unknown[]>> {
  #listeners = new Map<keyof Events, Set<(...args: unknown[]) => void>>();

  /** Where errors thrown by listeners go (they never reach the emitting code). */
  onListenerError: (error: unknown) => void = (error) =>
    console.error('mcpkit: an event listener threw:', error);

  /** Adds a listener; returns a function that removes it. */
  on<K extends keyof Events>(event: K, listener: (...args: Events[K]) => void): () => void {
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener as unknown as (...args: unknown[]) => void);
    return () => this.off(event, listener);
  }

  /** Removes a listener. */
  off<K extends keyof Events>(event: K, listener: (...args: Events[K]) => void): void {
    this.#listeners.get(event)?.delete(listener as unknown as (...args: unknown[]) => void);
  }

  /** Calls every listener of an event; a throwing listener does not stop the others. */
  emit<K extends keyof Events>(event: K, ...args: Events[K]): void {
    const set = this.#listeners.get(event);
    if (!set) return;
    for (const listener of set) {
      try {
        listener(...args);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }

  /** Whether any listener is attached to an event. */
  has(event: keyof Events): boolean {
    return (this.#listeners.get(event)?.size ?? 0) > 0;
  }
}
