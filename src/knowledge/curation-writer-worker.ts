import { serveSqliteWrites } from "../storage/serve-sqlite-writes.ts";
import { CURATION_WRITES, MIGRATIONS } from "./curation-writes.ts";

/** The curation database's writer thread (SqliteCurationStore). */
serveSqliteWrites(CURATION_WRITES, MIGRATIONS);
