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
