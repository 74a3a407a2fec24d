export type Typist = "bot" | "agent";

/** Typing signals expire on their own, in case the "stopped" one is lost. */
const TYPING_EXPIRY_MS = 15_000;

/** Whether the bot and the agent are typing now, as their signals say; each signal expires by itself. */
export class TypingSignals {
  readonly #onChange: () => void;
  readonly #timers: Partial<Record<Typist, ReturnType<typeof setTimeout>>> = {};
  #typing: Record<Typist, boolean> = { bot: false, agent: false };

  constructor(onChange: () => void) {
    this.#onChange = onChange;
  }

  /** A new object after every change. */
  get state(): Readonly<Record<Typist, boolean>> {
    return this.#typing;
  }

  set(author: Typist, isTyping: boolean): void {
    clearTimeout(this.#timers[author]);
    if (isTyping) this.#timers[author] = setTimeout(() => this.set(author, false), TYPING_EXPIRY_MS);
    if (this.#typing[author] === isTyping) return;
    this.#typing = { ...this.#typing, [author]: isTyping };
    this.#onChange();
  }
}
