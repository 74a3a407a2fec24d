import { afterEach, beforeEach, describe } from "vitest";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Postgres } from "../../src/storage/postgres.ts";
import { migrate } from "../../src/storage/postgres-migrations.ts";
import { createTestDatabase, postgresProblem } from "./services.ts";

export type Opened<T> = { store: T; close(): Promise<void> };
export type Backend<T> = { name: string; skip: string | null; open(): Promise<Opened<T>> };

/**
 * The same store on each backend, for one contract suite run against all: SQLite in a temp
 * folder, Postgres in a throw-away database (skipped, with the reason, when Postgres is absent).
 */
export function storeBackends<T extends { close(): Promise<void> }>(make: { sqlite: (dir: string) => T; postgres: (database: Postgres) => T }): Backend<T>[] {
  return [
    {
      name: "sqlite",
      skip: null,
      open: async () => {
        const dir = await mkdtemp(join(tmpdir(), "kefu-contract-"));
        const store = make.sqlite(dir);
        return { store, close: async () => { await store.close(); await rm(dir, { recursive: true, force: true }); } };
      },
    },
    {
      name: "postgres",
      skip: postgresProblem,
      open: async () => {
        const database = await createTestDatabase();
        const postgres = await Postgres.connect(database.url, { max: 4 });
        await migrate(postgres);
        const store = make.postgres(postgres);
        return { store, close: async () => { await store.close(); await postgres.close(); await database.drop(); } };
      },
    },
  ];
}

/**
 * One contract suite on every backend: a fresh store for each test (`opened.store`), closed after
 * it; a backend whose service is absent is skipped with the reason in the suite's name.
 */
export function describeContract<T>(name: string, backends: Backend<T>[], suite: (opened: { readonly store: T }, backend: Backend<T>) => void): void {
  for (const backend of backends) {
    describe.skipIf(backend.skip !== null)(`${name} contract on ${backend.name}${backend.skip ? ` (skipped: ${backend.skip})` : ""}`, () => {
      let current: Opened<T> | undefined;
      beforeEach(async () => (current = await backend.open()));
      afterEach(() => current?.close());
      suite({
        get store() {
          if (!current) throw new Error("the store opens in beforeEach");
          return current.store;
        },
      }, backend);
    });
  }
}
