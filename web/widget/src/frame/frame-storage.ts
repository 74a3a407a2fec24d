/**
 * The frame's view of what the widget remembers across pages: read from the snapshot the loader
 * sent at start-up, written through to wherever it is kept (the store page's localStorage).
 */
export class FrameStorage {
  readonly #values: Map<string, string>;
  readonly #persist: (key: string, value: string | null) => void;

  constructor(initial: Record<string, string>, persist: (key: string, value: string | null) => void) {
    this.#values = new Map(Object.entries(initial).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
    this.#persist = persist;
  }

  get(key: string): string | null {
    return this.#values.get(key) ?? null;
  }

  set(key: string, value: string | null): void {
    if ((this.#values.get(key) ?? null) === value) return;
    if (value === null) this.#values.delete(key);
    else this.#values.set(key, value);
    this.#persist(key, value);
  }

  getJson<T>(key: string, fallback: T): T {
    const raw = this.get(key);
    if (raw === null) return fallback;
    try {
      return JSON.parse(raw) as T;
    } catch {
      return fallback;
    }
  }

  setJson(key: string, value: unknown): void {
    this.set(key, value === null ? null : JSON.stringify(value));
  }
}
