import { expect, it } from "vitest";
import { AppError } from "../../src/errors.ts";
import type { ConversationEvent, EventBody } from "../../src/protocol/conversation-events.ts";
import { BotAnswer, type AnswerEnd } from "../../src/conversations/bot-answer.ts";
import { LiveAnswers } from "../../src/conversations/live-answers.ts";

const end: AnswerEnd = { status: "complete", text: "The AP40 filter is ¥199.", citations: [], confidence: null, knowledgeVersion: 3 };

/** An append that records what was asked, in order, and settles when told to. */
function recordingAppend(refuse: boolean | ((body: EventBody, expectBot: boolean) => boolean) = false) {
  const asked: { body: EventBody; expectBot: boolean }[] = [];
  const settle: (() => void)[] = [];
  const append = (conversationId: string, body: EventBody, options?: { expectBot?: boolean }) => {
    asked.push({ body, expectBot: options?.expectBot === true });
    const refused = typeof refuse === "function" ? refuse(body, options?.expectBot === true) : refuse;
    return new Promise<ConversationEvent>((resolve, reject) =>
      settle.push(() => (refused ? reject(new AppError("CONFLICT", "The bot no longer owns this conversation.")) : resolve({ ...body, conversationId, seq: asked.length, at: "" } as ConversationEvent))),
    );
  };
  return { asked, settle, append };
}

it("asks an answer known whole for its start and end back to back, both expecting the bot, before either is written", async () => {
  const { asked, settle, append } = recordingAppend();
  const answer = new BotAnswer({ live: new LiveAnswers(), append }, "c1", 4);
  const done = answer.whole(end);
  // Both asked in the same run of JavaScript: the writer takes them into one commit.
  expect(asked.map(({ body, expectBot }) => [body.type, expectBot])).toEqual([["answer-start", true], ["answer-end", true]]);
  const [start, ending] = asked.map(({ body }) => body) as [Extract<EventBody, { type: "answer-start" }>, Extract<EventBody, { type: "answer-end" }>];
  expect(start).toMatchObject({ replyTo: 4 });
  expect(ending).toMatchObject({ answerId: start.answerId, status: "complete", text: end.text, knowledgeVersion: 3 });
  settle.forEach((each) => each());
  await done;
  expect(answer.opened && answer.ended).toBe(true);
  // Asked again (the turn's clean-up), nothing more is written.
  await answer.end({ ...end, status: "failed" });
  expect(asked).toHaveLength(2);
});

it("fails as a whole when the bot no longer owns the conversation, with no stray rejection", async () => {
  const { settle, append } = recordingAppend(true);
  const answer = new BotAnswer({ live: new LiveAnswers(), append }, "c1", 4);
  const done = answer.whole(end);
  settle.forEach((each) => each());
  await expect(done).rejects.toMatchObject({ code: "CONFLICT" });
  await expect(answer.end({ ...end, status: "stopped" })).rejects.toMatchObject({ code: "CONFLICT" });
});

it("still closes the answer when its end is refused after the start was written", async () => {
  // Only the first answer-end expecting the bot is refused (the bot lost the conversation in between).
  const { asked, settle, append } = recordingAppend((body, expectBot) => body.type === "answer-end" && expectBot);
  const answer = new BotAnswer({ live: new LiveAnswers(), append }, "c1", 4);
  const done = answer.whole(end);
  settle.splice(0).forEach((each) => each());
  await new Promise((resolve) => setImmediate(resolve));
  settle.splice(0).forEach((each) => each());
  await done;
  expect(asked.map(({ body, expectBot }) => [body.type, "status" in body ? body.status : null, expectBot])).toEqual([
    ["answer-start", null, true],
    ["answer-end", "complete", true],
    ["answer-end", "stopped", false],
  ]);
});
