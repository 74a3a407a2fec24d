import { describe, expect, it } from "vitest";
import { readVerdictHeader } from "../../src/answering/prompts.ts";

describe("reading the verdict at the start of a reply", () => {
  it("decides on the verdict letter as soon as the character after it shows", () => {
    expect(readVerdictHeader("A", false)).toBeNull();
    expect(readVerdictHeader("A\n", false)).toEqual({ verdict: "ANSWERED", rest: "" });
    expect(readVerdictHeader("P\nOnly the price", false)).toEqual({ verdict: "PARTIAL", rest: "Only the price" });
    expect(readVerdictHeader(" N\n", false)).toEqual({ verdict: "NOT_COVERED", rest: "" });
    expect(readVerdictHeader("H", true)).toEqual({ verdict: "WANTS_HUMAN", rest: "" });
  });

  it("takes a reply that starts with a word as an answer with no verdict", () => {
    expect(readVerdictHeader("Ask", false)).toEqual({ verdict: null, rest: "Ask" });
    expect(readVerdictHeader("Not sure", false)).toEqual({ verdict: null, rest: "Not sure" });
    expect(readVerdictHeader("Yes", false)).toEqual({ verdict: null, rest: "Yes" });
  });

  it("still reads an older verdict line once it has ended", () => {
    expect(readVerdictHeader("VERDICT: ANS", false)).toBeNull();
    expect(readVerdictHeader("VERDICT: ANSWERED\nYes [1]", false)).toEqual({ verdict: "ANSWERED", rest: "Yes [1]" });
    expect(readVerdictHeader("Ver", false)).toBeNull();
    expect(readVerdictHeader("Very good", false)).toEqual({ verdict: null, rest: "Very good" });
  });
});
