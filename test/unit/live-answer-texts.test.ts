import { describe, expect, it } from "vitest";
import { LiveAnswerTexts } from "../../web/shared/live-answers.ts";

describe("joining live answer pieces by offset", () => {
  it("joins pieces in order, and keeps each character once when pieces repeat or overlap a snapshot", () => {
    const live = new LiveAnswerTexts();
    expect(live.add({ answerId: "a", offset: 0, text: "Ships " })).toBe(true);
    expect(live.add({ answerId: "a", offset: 6, text: "today" })).toBe(true);
    expect(live.add({ answerId: "a", offset: 6, text: "today" })).toBe(false);
    expect(live.snapshot([{ answerId: "a", text: "Ships to" }])).toBe(false);
    expect(live.snapshot([{ answerId: "a", text: "Ships today, " }])).toBe(true);
    expect(live.texts.get("a")).toBe("Ships today, ");
  });

  it("holds a piece that arrives before the snapshot it follows, and shows it once the gap is filled", () => {
    const live = new LiveAnswerTexts();
    // A resume: the next live piece is delivered before the reply that holds the text so far.
    expect(live.add({ answerId: "a", offset: 11, text: " in 2 days" })).toBe(true);
    expect(live.texts.get("a")).toBe("");
    live.snapshot([{ answerId: "a", text: "It arrives." }]);
    expect(live.texts.get("a")).toBe("It arrives. in 2 days");
    live.add({ answerId: "b", offset: 0, text: "other" });
    expect(live.end("a")).toBe(true);
    expect([...live.texts.keys()]).toEqual(["b"]);
    live.clear();
    expect(live.texts.size).toBe(0);
  });
});
