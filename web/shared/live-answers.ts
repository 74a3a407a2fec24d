import type { AnswerDelta, LiveAnswer } from "../../src/protocol/conversation-events.ts";

/**
 * The text of answers that are streaming, joined from live deltas by offset. Pieces may arrive
 * before the snapshot that precedes them (a resume), overlap it, or repeat: each character is
 * kept once and nothing is shown past a gap until the piece that fills it arrives.
 */
type Piece = { offset: number; text: string };

export class LiveAnswerTexts {
  readonly #texts = new Map<string, string>();
  /** Pieces past the end of the text so far, by answer, waiting for the gap before them to fill. */
  readonly #ahead = new Map<string, Piece[]>();

  /** The text so far of each streaming answer (a new map after every change). */
  texts: ReadonlyMap<string, string> = new Map();

  /** Add a piece; true when the shown text changed. */
  add(delta: Pick<AnswerDelta, "answerId" | "offset" | "text">): boolean {
    const ahead = this.#ahead.get(delta.answerId) ?? [];
    ahead.push({ offset: delta.offset, text: delta.text });
    this.#ahead.set(delta.answerId, ahead);
    return this.#settle(delta.answerId);
  }

  /** What a (re)start or watch said the answers streaming now hold. */
  snapshot(answers: readonly LiveAnswer[]): boolean {
    let changed = false;
    for (const { answerId, text } of answers) changed = this.add({ answerId, offset: 0, text }) || changed;
    return changed;
  }

  /** The answer ended (its durable end carries the whole text): forget it. */
  end(answerId: string): boolean {
    this.#ahead.delete(answerId);
    if (!this.#texts.delete(answerId)) return false;
    this.texts = new Map(this.#texts);
    return true;
  }

  clear(): void {
    this.#texts.clear();
    this.#ahead.clear();
    this.texts = new Map();
  }

  #settle(answerId: string): boolean {
    const before = this.#texts.get(answerId) ?? "";
    let text = before;
    let ahead = this.#ahead.get(answerId) ?? [];
    for (let progressed = true; progressed; ) {
      progressed = false;
      ahead = ahead.filter((piece) => {
        if (piece.offset > text.length) return true;
        if (piece.offset + piece.text.length > text.length) {
          text = text.slice(0, piece.offset) + piece.text;
          progressed = true;
        }
        return false;
      });
    }
    if (ahead.length > 0) this.#ahead.set(answerId, ahead);
    else this.#ahead.delete(answerId);
    if (text === before && this.#texts.has(answerId)) return false;
    this.#texts.set(answerId, text);
    this.texts = new Map(this.#texts);
    return true;
  }
}
