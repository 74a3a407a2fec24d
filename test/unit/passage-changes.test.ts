import { describe, expect, it } from "vitest";
import { diffPassages } from "../../src/knowledge/passage-changes.ts";
import type { Passage, StoredPassage } from "../../src/retrieval/passage.ts";

const passage = (position: number, text: string, changes: Partial<Passage> = {}): Passage => ({
  key: `product:KF-K:en#${position}`, documentId: "product:KF-K:en", productId: "KF-K", lang: "en", kind: "product", title: "Kettle", text, url: null, ...changes,
});
const stored = (label: number, position: number, text: string): StoredPassage => ({ ...passage(position, text), label });

describe("diffPassages", () => {
  const before = [stored(11, 0, "Kettle. Price: ¥199."), stored(12, 1, "Capacity: 1.7 L."), stored(13, 2, "Boils a full jug in four minutes.")];

  it("keeps passages with the same key and content, replaces changed ones and removes those that are gone", () => {
    const changes = diffPassages(before, [passage(0, "Kettle. Price: ¥209."), passage(1, "Capacity: 1.7 L.")]);
    expect(changes.kept).toBe(1);
    expect(changes.added.map((added) => added.text)).toEqual(["Kettle. Price: ¥209."]);
    expect(changes.removed).toEqual([{ label: 11, productId: "KF-K" }, { label: 13, productId: "KF-K" }]);
  });

  it("treats a passage as changed when anything searched or cited differs, not only its text", () => {
    const renamed = before.map(({ label: _label, ...rest }) => ({ ...rest, title: "Glass kettle" }));
    expect(diffPassages(before, renamed)).toMatchObject({ kept: 0, added: renamed });
    const moved = diffPassages(before, [{ ...before[1]!, url: "/p/kf-k" }]);
    expect(moved.kept).toBe(0);
    expect(moved.removed.map((gone) => gone.label)).toEqual([11, 12, 13]);
  });

  it("adds everything for a new document", () => {
    const next = [passage(0, "Kettle. Price: ¥199.")];
    expect(diffPassages([], next)).toEqual({ added: next, removed: [], kept: 0 });
  });
});
