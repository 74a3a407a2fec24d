/**
 * The widget's memory on the store's own origin: the resume token, unsent messages and panel
 * state live in the store page's localStorage, so they follow the shopper from page to page of
 * that store (and only that store) even where the browser partitions or blocks storage for
 * third-party frames. Keys are prefixed with the Kefu server's origin, so two Kefu servers on one
 * store never mix. Falls back to memory when storage is disabled.
 */
export class HostStorage {
  readonly #prefix: string;
  readonly #memory = new Map<string, string>();

  constructor(kefuOrigin: string) {
    this.#prefix = `kefu:${kefuOrigin}:`;
  }

  get(key: string): string | null {
    try {
      return localStorage.getItem(this.#prefix + key);
    } catch {
      return this.#memory.get(key) ?? null;
    }
  }

  set(key: string, value: string | null): void {
    try {
      if (value === null) localStorage.removeItem(this.#prefix + key);
      else localStorage.setItem(this.#prefix + key, value);
    } catch {
      if (value === null) this.#memory.delete(key);
      else this.#memory.set(key, value);
    }
  }

  /** Every key the widget kept, without the prefix. */
  entries(): Record<string, string> {
    const result: Record<string, string> = Object.fromEntries(this.#memory);
    try {
      for (let index = 0; index < localStorage.length; index += 1) {
        const key = localStorage.key(index);
        if (key?.startsWith(this.#prefix)) result[key.slice(this.#prefix.length)] = localStorage.getItem(key) ?? "";
      }
    } catch {
      // Storage is disabled: memory is all there is.
    }
    return result;
  }
}
