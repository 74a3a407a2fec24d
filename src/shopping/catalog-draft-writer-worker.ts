import { serveSqliteWrites } from "../storage/serve-sqlite-writes.ts";
import { CATALOG_DRAFT_WRITES, MIGRATIONS } from "./catalog-draft-writes.ts";

/** The catalog draft log's writer thread (SqliteCatalogDraftLog). */
serveSqliteWrites(CATALOG_DRAFT_WRITES, MIGRATIONS);
