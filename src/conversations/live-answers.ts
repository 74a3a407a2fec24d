import type { LiveAnswer } from "../protocol/conversation-events.ts";

/**
 * The text of answers while they stream, kept in memory and never persisted: a client that
 * (re)joins mid-answer gets the text so far from here, then the live deltas that follow it.
 * The bot answers one message at a time per conversation, so a conversation has at most one.
 */
export class LiveAnswers {
  readonly #byConversation = new Map<string, LiveAnswer>();

  begin(conversationId: string, answerId: string): void {
    this.#byConversation.set(conversationId, { answerId, text: "" });
  }

  /** Add a piece to the conversation's streaming answer; returns the offset the piece starts at. */
  append(conversationId: string, answerId: string, text: string): number {
    const live = this.#byConversation.get(conversationId);
    if (!live || live.answerId !== answerId) throw new Error(`answer ${answerId} is not streaming`);
    const offset = live.text.length;
    live.text += text;
    return offset;
  }

  /** Forget the answer (it ended); returns the text it had streamed. */
  end(conversationId: string, answerId: string): string {
    const live = this.#byConversation.get(conversationId);
    if (!live || live.answerId !== answerId) return "";
    this.#byConversation.delete(conversationId);
    return live.text;
  }

  snapshot(conversationId: string): LiveAnswer[] {
    const live = this.#byConversation.get(conversationId);
    return live ? [{ ...live }] : [];
  }

  get size(): number {
    return this.#byConversation.size;
  }
}
