import { chmodSync, closeSync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync } from "node:sqlite";

export type Database = DatabaseSync;

/**
 * Open a SQLite file in WAL mode and bring its schema up to date. Migrations are ordered SQL
 * scripts; PRAGMA user_version records how many have run, and each runs in its own transaction.
 * The file is readable by its owner only (0600; SQLite gives its -wal and -shm files the same
 * mode), in a folder created 0700: it holds conversations and password hashes.
 */
export function openDatabase(path: string, options: { migrations: readonly string[]; synchronous: "full" | "normal" }): Database {
  if (path !== ":memory:") {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    closeSync(openSync(path, "a", 0o600));
    chmodSync(path, 0o600);
  }
  const database = new DatabaseSync(path);
  database.exec("PRAGMA journal_mode = WAL");
  database.exec(`PRAGMA synchronous = ${options.synchronous === "full" ? "FULL" : "NORMAL"}`);
  database.exec("PRAGMA foreign_keys = ON");
  database.exec("PRAGMA busy_timeout = 5000");
  const applied = Number((database.prepare("PRAGMA user_version").get() as { user_version: number }).user_version);
  for (let index = applied; index < options.migrations.length; index += 1) {
    transaction(database, () => {
      database.exec(options.migrations[index]!);
      database.exec(`PRAGMA user_version = ${index + 1}`);
    });
  }
  return database;
}

/**
 * How long a reader that pins a snapshot (the search readers of the published knowledge) keeps one
 * before it takes a fresh one of the same version. A pinned snapshot holds the writer's log: SQLite
 * copies the log's pages into the database only up to the oldest snapshot, and starts the log over
 * only when no snapshot reads from it, so a reader that never let go would grow the log by every
 * version published while the server runs. (The log file keeps the size of the largest write and is
 * written over from its start: cutting a file of hundreds of megabytes back holds up every other
 * file's flush on the disk for a tenth of a second or more, and a commit of an acknowledged message
 * waits on one.)
 */
export const SNAPSHOT_RENEW_MS = 2_000;

/**
 * Copy the log's pages into the database every `everyMs` (a PASSIVE checkpoint: it waits for no
 * reader). SQLite checkpoints only when a write commits, and only up to the oldest reader's
 * snapshot: a database written seldom, whose readers take fresh snapshots a little after each
 * write (the published knowledge), needs one more pass once they have, so that its log can start
 * over at the next write instead of growing. Cheap when there is nothing to copy. A failed pass is
 * reported, not thrown (a timer's exception would end the thread). Returns a stop.
 */
export function checkpointPeriodically(database: Database, everyMs: number, onError: (error: unknown) => void): () => void {
  const timer = setInterval(() => {
    try {
      if (database.isOpen && !database.isTransaction) database.prepare("PRAGMA wal_checkpoint(PASSIVE)").get();
    } catch (error) {
      // Nothing is lost: the next pass, or the next commit's own checkpoint, copies the log.
      onError(error);
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** Run fn inside BEGIN IMMEDIATE … COMMIT, rolling back if it throws. Not reentrant. */
export function transaction<T>(database: Database, fn: () => T): T {
  database.exec("BEGIN IMMEDIATE");
  try {
    const result = fn();
    database.exec("COMMIT");
    return result;
  } catch (error) {
    if (database.isTransaction) database.exec("ROLLBACK");
    throw error;
  }
}
