import { describe, expect, it } from "vitest";
import { rankSentences } from "../../src/answering/rank-sentences.ts";
import { questionTerms } from "../../src/catalog/match-facts.ts";
import type { RetrievedPassage } from "../../src/retrieval/retriever.ts";

function pagePassage(text: string): RetrievedPassage {
  return { label: 1, key: "product:T-AROMA:en#1", documentId: "product:T-AROMA:en", productId: "T-AROMA", lang: "en", kind: "product", title: "Aroma Diffuser", text, url: null, score: 1, lexicalRank: 1, lexicalScore: 1, denseRank: 1, denseSimilarity: 0.5, onPage: true };
}

describe("ranking a page's sentences", () => {
  it("weighs a question word by how few of the page's sentences use it", () => {
    // "water" and "tank" are in nearly every sentence; "perfume" in one, the one that answers.
    const page = pagePassage(
      "Fill the water tank to the line. The tank holds 300 ml of water. Use tap water or purified water in the tank. Empty the water from the tank after use. " +
        "Rinse the tank with clean water weekly. The tank lid keeps water from spilling. Never add perfume, which clogs the mist plate.",
    );
    const question = "can i put perfume in the water tank?";
    const [best] = rankSentences([page], { question, terms: questionTerms(question), cues: [], topics: [] }, "en");
    expect(best?.text).toBe("Never add perfume, which clogs the mist plate.");
  });
});
