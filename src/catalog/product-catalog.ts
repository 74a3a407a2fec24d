import type { SourceDocument } from "../knowledge/source-document.ts";
import { toCatalogProduct, type CatalogProduct } from "./product.ts";

/** The catalog's products with typed facts, by SKU, in the shopper's language when it has one. */
export interface ProductCatalog {
  getProduct(sku: string, language: "zh" | "en"): Promise<CatalogProduct | null>;
}

/** Products read from the published knowledge: a catalog line is kept with its document. */
export class DocumentProductCatalog implements ProductCatalog {
  readonly #getDocument: (id: string) => SourceDocument | null | Promise<SourceDocument | null>;

  constructor(getDocument: (id: string) => SourceDocument | null | Promise<SourceDocument | null>) {
    this.#getDocument = getDocument;
  }

  async getProduct(sku: string, language: "zh" | "en"): Promise<CatalogProduct | null> {
    for (const lang of language === "zh" ? ["zh", "en"] : ["en", "zh"]) {
      const document = await this.#getDocument(`product:${sku}:${lang}`);
      if (document?.product) return toCatalogProduct(document.product);
    }
    return null;
  }
}
