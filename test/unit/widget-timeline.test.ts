import { describe, expect, it } from "vitest";
import type { ConversationEvent } from "../../src/protocol/conversation-events.ts";
import { STRINGS } from "../../web/widget/src/frame/i18n.ts";
import { buildTimeline } from "../../web/widget/src/frame/timeline.ts";

const base = { conversationId: "c1", at: "2026-12-06T23:00:00.000Z" };
const question: ConversationEvent = { ...base, seq: 1, type: "message", author: "shopper", text: "How long does delivery take?", clientId: "m1", authorName: null };
const start: ConversationEvent = { ...base, seq: 2, type: "answer-start", answerId: "a1", replyTo: 1 };
const end = (status: "complete" | "stopped", text: string): ConversationEvent => ({ ...base, seq: 3, type: "answer-end", answerId: "a1", status, text, citations: [], confidence: null, knowledgeVersion: 1 });
const answers = (events: ConversationEvent[], live = new Map<string, string>()) => {
  const timeline = buildTimeline(events, [], STRINGS.en, live);
  return { streaming: timeline.streaming, answers: timeline.items.filter((item) => item.kind === "answer").map((item) => item.kind === "answer" && [item.status, item.text]) };
};

describe("the widget's timeline of an answer", () => {
  it("shows an answer from its first text, not from its start (written while the model thinks)", () => {
    expect(answers([question, start])).toEqual({ streaming: false, answers: [] });
    expect(answers([question, start], new Map([["a1", "Orders ship"]]))).toEqual({ streaming: true, answers: [["streaming", "Orders ship"]] });
    expect(answers([question, start, end("complete", "Orders ship the same day.")])).toEqual({ streaming: false, answers: [["complete", "Orders ship the same day."]] });
  });

  it("shows nothing of an answer a hand-off verdict ended with no text", () => {
    expect(answers([question, start, end("stopped", "")])).toEqual({ streaming: false, answers: [] });
  });
});
