import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { checkpointPeriodically, openDatabase, type Database } from "../../src/storage/database.ts";

describe("checkpointPeriodically", () => {
  it("copies the log into the database on its timer, and stops", async () => {
    const { mkdtemp, rm, stat } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dir = await mkdtemp(join(tmpdir(), "kefu-ckpt-"));
    try {
      const db = openDatabase(join(dir, "a.db"), { migrations: ["CREATE TABLE t (v TEXT)"], synchronous: "normal" });
      db.exec("PRAGMA wal_autocheckpoint = 0");
      db.prepare("INSERT INTO t VALUES (?)").run("x".repeat(100_000));
      const before = (await stat(join(dir, "a.db"))).size;
      const stop = checkpointPeriodically(db, 20, (error) => { throw error; });
      await sleep(120);
      stop();
      expect((await stat(join(dir, "a.db"))).size).toBeGreaterThan(before + 90_000);
      db.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("reports a failed pass instead of throwing from its timer, and keeps trying", async () => {
    const errors: unknown[] = [];
    const failing = { isOpen: true, isTransaction: false, prepare: () => { throw new Error("disk I/O error"); } } as unknown as Database;
    const stop = checkpointPeriodically(failing, 10, (error) => errors.push(error));
    await sleep(60);
    stop();
    expect(errors.length).toBeGreaterThan(1);
    expect(errors[0]).toMatchObject({ message: "disk I/O error" });
  });
});
