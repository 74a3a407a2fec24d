import { createHash } from "node:crypto";
import type { Logger } from "../logger.ts";
import { LoopSlices } from "../loop-slices.ts";
import { lineKey, type CatalogDraftLog, type DraftedEntry } from "./catalog-draft-log.ts";
import type { FaqDrafter } from "./faq-drafter.ts";
import type { ProductEntry, ShopProduct, ShoppingCatalog } from "./shop-product.ts";

/** Where drafted entries go: the drafts list admins edit and publish (KnowledgeAdmin's). */
export interface DraftSink {
  /** Add these drafts in one write; resolves with their ids, in order. */
  add(drafts: readonly { question: string; answer: string; lang: "zh" | "en"; createdBy: string }[]): Promise<string[]>;
  /** Withdraw, in one write, those of these drafts nobody has published or dismissed yet (a reviewed one is left alone); resolves with how many. */
  withdraw(ids: readonly string[]): Promise<number>;
}

/** Drafts added to the sink in one write (one fsync; a 1% update of a 28k-line catalog drafts about 850). */
const DRAFTS_AT_ONCE = 200;

export type CatalogDraftReport = {
  /** The first look at a catalog: only products launched recently were drafted, the rest only noted. */
  baseline: boolean;
  /** Catalog lines (product × language) drafted from. */
  entries: number;
  drafts: number;
  withdrawn: number;
};

/**
 * FAQ drafts from the catalog: after each knowledge publish, every catalog line that is new or
 * changed since it was last drafted from gets question/answer drafts in its own language, in the
 * drafts list for an admin to edit and publish. On the first look at a store's catalog only
 * products launched in the last `newDays` (or not yet launched) are drafted: a store installing
 * Kefu should not find a draft for every product it has ever sold. A changed product's earlier
 * drafts that nobody reviewed yet are withdrawn, so the list never holds two versions of a fact.
 */
export class CatalogFaqDrafts {
  readonly #deps: { catalog: ShoppingCatalog; log: CatalogDraftLog; sink: DraftSink; drafter: FaqDrafter; newDays: number; clock: () => Date; logger: Logger };
  #running: Promise<CatalogDraftReport> | null = null;
  /**
   * Lines this server knows the log holds as they are (drafted or looked up). The catalog keeps the
   * objects of lines whose document did not change, so after a publish only the changed lines are
   * new objects: only they are hashed and looked up, not the whole log.
   */
  readonly #settled = new WeakSet<ProductEntry>();
  /** The products at the end of the last pass that completed: every line of theirs is settled. */
  #settledProducts: readonly ShopProduct[] | null = null;
  #again = false;

  constructor(deps: { catalog: ShoppingCatalog; log: CatalogDraftLog; sink: DraftSink; drafter: FaqDrafter; newDays: number; clock?: () => Date; logger: Logger }) {
    this.#deps = { ...deps, clock: deps.clock ?? (() => new Date()) };
  }

  /** Draft for what changed; calls while one runs are folded into one more run after it, and get both runs' totals. */
  sync(): Promise<CatalogDraftReport> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    const run = async (): Promise<CatalogDraftReport> => {
      try {
        let report = await this.#syncOnce();
        while (this.#again) {
          this.#again = false;
          const next = await this.#syncOnce();
          // A caller who joined a run in progress gets what that run and the one after it did.
          report = { baseline: report.baseline, entries: report.entries + next.entries, drafts: report.drafts + next.drafts, withdrawn: report.withdrawn + next.withdrawn };
        }
        return report;
      } finally {
        this.#running = null;
      }
    };
    this.#running = run();
    return this.#running;
  }

  /** Resolves once no sync is running (for an orderly close). */
  async idle(): Promise<void> {
    await this.#running?.catch(() => undefined);
  }

  /** sync() for a publish hook: failures are logged, never thrown. */
  requestSync(): void {
    this.sync().catch((error: unknown) => this.#deps.logger.error({ err: error }, "FAQ drafts from the catalog failed"));
  }

  /** One pass, alone on the log: servers sharing it never draft the same line twice. */
  #syncOnce(): Promise<CatalogDraftReport> {
    return this.#deps.log.exclusive(() => this.#draftChanged());
  }

  async #draftChanged(): Promise<CatalogDraftReport> {
    const { catalog, log, sink, drafter, logger } = this.#deps;
    const slices = new LoopSlices();
    const products = await catalog.products();
    // Only the products changed since the last pass that completed, when the catalog knows them; else
    // every line (about 28,000 at 100k passages), in slices so acks get in.
    const changed = this.#settledProducts && catalog.changeBetween?.(this.#settledProducts, products);
    const fresh: ProductEntry[] = [];
    for (const product of changed ? changed.upserts : products) {
      for (const entry of [product.entries.en, product.entries.zh]) {
        if (entry && !this.#settled.has(entry)) fresh.push(entry);
      }
      await slices.pause();
    }
    const baseline = fresh.length > 0 && (await log.isEmpty());
    const report: CatalogDraftReport = { baseline, entries: 0, drafts: 0, withdrawn: 0 };
    if (fresh.length === 0) {
      this.#settledProducts = products;
      return report;
    }
    const known = await log.find(fresh);
    const now = this.#deps.clock();
    const since = new Date(now.getTime() - this.#deps.newDays * 86_400_000).toISOString().slice(0, 10);
    const noted: DraftedEntry[] = [];
    // Drafts are added DRAFTS_AT_ONCE at a time, and changed lines' earlier drafts withdrawn just before
    // them: one write (one fsync) for many, not one each.
    let unsaved: { record: DraftedEntry; drafts: Parameters<DraftSink["add"]>[0][number][] }[] = [];
    let superseded: string[] = [];
    const saveDrafts = async () => {
      const withdraw = superseded;
      superseded = [];
      if (withdraw.length > 0) report.withdrawn += await sink.withdraw(withdraw);
      const batch = unsaved;
      unsaved = [];
      if (batch.length === 0) return;
      const ids = await sink.add(batch.flatMap((each) => each.drafts));
      for (const each of batch) each.record.draftIds.push(...ids.splice(0, each.drafts.length));
      // Recorded with their drafts: a pass that fails later does not draft these lines a second time.
      await log.record(batch.map((each) => each.record));
    };
    for (const entry of fresh) {
      await slices.pause();
      const hash = hashEntry(entry);
      const previous = known.get(lineKey(entry));
      if (previous?.hash === hash) continue;
      const record: DraftedEntry = { sku: entry.sku, lang: entry.lang, hash, draftIds: [], at: now.toISOString() };
      if (!baseline || entry.launchDate >= since) {
        superseded.push(...(previous?.draftIds ?? []));
        const drafts = (await drafter.draft(entry)).map((pair) => ({ question: pair.question, answer: pair.answer, lang: entry.lang, createdBy: `catalog:${entry.sku}` }));
        unsaved.push({ record, drafts });
        report.entries += 1;
        report.drafts += drafts.length;
        if (superseded.length + unsaved.reduce((sum, each) => sum + each.drafts.length, 0) >= DRAFTS_AT_ONCE) await saveDrafts();
      } else {
        // Only noted (the first look at a catalog drafts recent products alone).
        noted.push(record);
      }
    }
    await saveDrafts();
    await log.record(noted);
    // Only once recorded: a pass that fails part-way looks at the same lines again next time.
    for (const entry of fresh) this.#settled.add(entry);
    this.#settledProducts = products;
    if (report.drafts > 0 || report.withdrawn > 0) logger.info({ ...report, drafter: drafter.kind }, "FAQ drafted from the catalog");
    return report;
  }
}

/** What a line says (not where it came from): a new source or file order is not a change. */
function hashEntry(entry: ProductEntry): string {
  const { name, category, price, currency, launchDate, attributes, description } = entry;
  return createHash("sha256").update(JSON.stringify([name, category, price, currency, launchDate, Object.entries(attributes), description])).digest("hex").slice(0, 32);
}
