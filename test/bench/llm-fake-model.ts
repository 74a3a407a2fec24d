import { FakeLlmServer, type RecordedRequest } from "../support/fake-llm-server.ts";
import { FakeLlmTimings, type StreamTiming } from "./fake-llm-timing.ts";
import type { BenchContext } from "./scenario.ts";

/** The verdict every scripted reply starts with (prompts.ts: one letter on its own line); the server shows nothing before it. */
export const VERDICT_LINE = "A\n";

/** The fake model's pace: first-token time, delay between two chunks, characters per chunk, chunks after the verdict line. */
export type ModelPace = { ttftMs: number; tpotMs: number; chunkSize: number; answerChunks: number };

/**
 * The fake model, in this process, with its chunk writes stamped: every request is answered with
 * the verdict line and a grounded answer in the question's language, and its stream's timing is
 * kept under the tag of the question it answers ("(ref qN)"); a request without a tag is a failure.
 * Stopped, and its write stamping undone, by the context's cleanups.
 */
export async function startScriptedModel(context: BenchContext, pace: ModelPace, fail: (kind: string) => void): Promise<{ fake: FakeLlmServer; byTag: Map<number, StreamTiming> }> {
  const { ttftMs, tpotMs, chunkSize, answerChunks } = pace;
  const timings = new FakeLlmTimings();
  context.defer(timings.install());
  const fake = await FakeLlmServer.start();
  context.defer(() => fake.close());
  const byTag = new Map<number, StreamTiming>();
  const replies = { en: answerText("en", chunkSize * answerChunks), zh: answerText("zh", chunkSize * answerChunks) };
  fake.respondWith((request: RecordedRequest) => {
    const prompt = request.body.messages?.map((message) => message.content).join("\n") ?? "";
    // The tag of the question being asked (earlier ones also appear, in the conversation block).
    const question = prompt.slice(prompt.lastIndexOf("<question>"));
    const tag = /\(ref q(\d+)\)/.exec(question)?.[1];
    const timing = timings.track(request.headers);
    if (tag !== undefined) byTag.set(Number(tag), timing);
    else fail("fake-request-untagged");
    const zh = prompt.includes("Simplified Chinese");
    return { reply: VERDICT_LINE + (zh ? replies.zh : replies.en), firstTokenMs: ttftMs, tokenMs: tpotMs, chunkSize };
  });
  return { fake, byTag };
}

/** A grounded answer of exactly `length` characters that cites fact [1], in the question's language. */
function answerText(lang: "en" | "zh", length: number): string {
  const sentence = lang === "en"
    ? "According to our store information this is covered as described in the product details [1]. "
    : "根据店铺资料，这一点在商品详情里有明确说明[1]。";
  let text = "";
  while ([...text].length < length) text += sentence;
  return [...text].slice(0, length).join("");
}
