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
