import { describe, expect, it } from "vitest";
import { HashingEmbedder } from "../../src/retrieval/hashing-embedder.ts";

const cosine = (a: Float32Array, b: Float32Array) => a.reduce((sum, value, index) => sum + value * b[index]!, 0);

describe("the offline hashing embedder", () => {
  const embedder = new HashingEmbedder();

  it("is deterministic and unit length", async () => {
    const [a, b] = await embedder.embed(["Glass kettle 1.7 L", "Glass kettle 1.7 L"]);
    expect(Array.from(a!)).toEqual(Array.from(b!));
    expect(cosine(a!, a!)).toBeCloseTo(1, 5);
  });

  it("puts related English and Chinese texts closer than unrelated ones", async () => {
    const [query, related, unrelated] = await embedder.embed(["kettles with glass", "Glass electric kettle", "wireless headphones battery"]);
    expect(cosine(query!, related!)).toBeGreaterThan(cosine(query!, unrelated!) + 0.2);
    const [zhQuery, zhRelated, zhUnrelated] = await embedder.embed(["按摩坐垫", "家用按摩垫 肩颈腰部", "不锈钢炒锅"]);
    expect(cosine(zhQuery!, zhRelated!)).toBeGreaterThan(cosine(zhQuery!, zhUnrelated!) + 0.2);
  });
});
