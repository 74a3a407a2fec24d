import { describe, expect, it } from "vitest";
import { readCatalogCsv, readCatalogJsonl } from "../../src/knowledge/read-catalog.ts";
import { readFaqMarkdown } from "../../src/knowledge/read-faq.ts";
import { hashDocument, splitDocument } from "../../src/knowledge/split-passages.ts";

describe("reading and splitting knowledge", () => {
  it("turns a product into overview, specs and description passages with stable ids", async () => {
    const { documents, problems } = readCatalogJsonl(
      "catalog.jsonl",
      JSON.stringify({ sku: "S-1", lang: "en", name: "Kettle", category: "Kitchen", price: 99, launchDate: "2026-10-01", attributes: { Capacity: "1 L" }, description: "Boils fast." }),
    );
    expect(problems).toEqual([]);
    const passages = await splitDocument(documents[0]!);
    expect(passages.map((passage) => passage.key)).toEqual(["product:S-1:en#0", "product:S-1:en#1", "product:S-1:en#2"]);
    expect(passages[0]!.text).toContain("Price: ¥99");
    expect(passages[1]!.text).toBe("Capacity: 1 L");
  });

  it("splits long text into overlapping passages on sentence boundaries, zh included", async () => {
    const sentence = "这款水壶采用高硼硅玻璃，耐高温，不含双酚A。";
    const { documents } = readFaqMarkdown("care.md", `---\nid: care\ntitle: 保养\nlang: zh\n---\n## 如何清洁？\n${sentence.repeat(60)}`);
    const passages = await splitDocument(documents[0]!);
    expect(passages.length).toBeGreaterThan(2);
    for (const passage of passages) {
      expect(passage.text.length).toBeLessThanOrEqual(600);
      expect(passage.title).toBe("如何清洁？");
    }
    expect(passages[0]!.text.endsWith("。")).toBe(true);
  });

  it("reads FAQ entries by heading and reports bad front matter", () => {
    const { documents } = readFaqMarkdown("a.md", "---\nid: returns\ntitle: Returns\nlang: en\n---\nIntro.\n\n## Can I return it?\nYes, within **30 days**.\n");
    expect(documents[0]!.sections).toEqual([
      { title: "Returns", text: "Intro." },
      { title: "Can I return it?", text: "Yes, within 30 days." },
    ]);
    expect(readFaqMarkdown("b.md", "---\nid: x\nlang: fr\n---\nHi").problems[0]).toMatchObject({ file: "b.md", line: 1, message: expect.stringContaining("lang") });
  });

  it("reads CSV catalogs and names the line of a bad row", () => {
    const csv = 'sku,lang,name,category,price,currency,launchDate,attributes,description,url\nC-1,en,Mat,Home,59,CNY,2026-01-02,"Size: 60x90 cm; Color: Grey",Soft mat.,\nC-2,en,Bad,Home,cheap,CNY,2026-01-02,,,\n';
    const { documents, problems } = readCatalogCsv("c.csv", csv);
    expect(documents).toHaveLength(1);
    expect(documents[0]!.sections[1]!.text).toBe("Size: 60x90 cm; Color: Grey");
    expect(problems).toEqual([{ file: "c.csv", line: 3, message: expect.stringContaining("price") }]);
  });

  it("hashes content, not location", () => {
    const { documents } = readCatalogJsonl("a.jsonl", JSON.stringify({ sku: "S-1", lang: "en", name: "K", category: "C", price: 1, launchDate: "2026-01-01" }));
    const moved = { ...documents[0]!, source: "file:b.jsonl" };
    expect(hashDocument(moved)).toBe(hashDocument(documents[0]!));
    expect(hashDocument({ ...moved, title: "K2" })).not.toBe(hashDocument(documents[0]!));
  });
});
