import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Postgres } from "../../src/storage/postgres.ts";
import { migrate, MIGRATIONS } from "../../src/storage/postgres-migrations.ts";
import { createTestDatabase, postgresProblem } from "../support/services.ts";
import { Shopper } from "../support/shopper.ts";
import { startTestApp } from "../support/start-test-app.ts";
import { TcpProxy } from "../support/tcp-proxy.ts";
import { runScript } from "../support/run-script.ts";

/** The machine's PATH only, so the child finds nothing else of this shell's settings. */
const run = (script: string, args: string[], env: Record<string, string>) => runScript(script, args, { PATH: process.env.PATH ?? "", ...env });

describe("DATABASE_URL that does not work", () => {
  it("stops start-up with exit 78 and a message naming DATABASE_URL, for a malformed URL and an unreachable server", async () => {
    const malformed = await run("src/main.ts", [], { DATABASE_URL: "mysql://shop@localhost/kefu", LOG_LEVEL: "silent" });
    expect(malformed.code).toBe(78);
    expect(malformed.stderr).toMatch(/DATABASE_URL="mysql:\/\/shop@localhost\/kefu": use postgres:\/\//);
    const unreachable = await run("src/main.ts", [], { DATABASE_URL: "postgres://kefu:secret@127.0.0.1:1/kefu", LOG_LEVEL: "silent", PORT: "0" });
    expect(unreachable.code).toBe(78);
    expect(unreachable.stderr).toContain("DATABASE_URL: cannot use the database at postgres://kefu:***@127.0.0.1:1/kefu");
    expect(unreachable.stderr).not.toContain("secret");
  }, 90_000);
});

describe("REDIS_URL that does not work", () => {
  it("stops start-up with exit 78 and a message naming REDIS_URL", async () => {
    const unreachable = await run("src/main.ts", [], { REDIS_URL: "redis://127.0.0.1:1", LOG_LEVEL: "silent", PORT: "0" });
    expect(unreachable.code).toBe(78);
    expect(unreachable.stderr).toContain("REDIS_URL: cannot use Redis at redis://127.0.0.1:1");
    const malformed = await run("src/main.ts", [], { REDIS_URL: "localhost:6379", LOG_LEVEL: "silent" });
    expect(malformed.code).toBe(78);
    expect(malformed.stderr).toMatch(/REDIS_URL="localhost:6379": use redis:\/\//);
  }, 90_000);
});

describe.skipIf(postgresProblem !== null)(`Postgres going away while serving${postgresProblem ? ` (skipped: ${postgresProblem})` : ""}`, () => {
  it("refuses new messages with UNAVAILABLE (never a false ack) and serves again by itself when it is back", async () => {
    const database = await createTestDatabase();
    const target = new URL(database.url);
    const proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
    const proxied = new URL(database.url);
    proxied.port = String(proxy.port);
    const server = await startTestApp({ env: { DATABASE_URL: proxied.toString() } });
    const shopper = new Shopper(server.url);
    try {
      await shopper.start({ locale: "en" });
      const before = await shopper.send("How long does delivery take?", "before");
      expect(before.ok).toBe(true);
      await shopper.answerTo(before.ok ? before.data.seq : -1);

      proxy.cut();
      const during = await shopper.send("Is shipping free?", "during");
      expect(during).toMatchObject({ ok: false, error: { code: "UNAVAILABLE" } });

      proxy.restore();
      let after = await shopper.send("Is shipping free?", "during");
      for (let attempt = 0; !after.ok && attempt < 20; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        after = await shopper.send("Is shipping free?", "during");
      }
      expect(after).toMatchObject({ ok: true, data: { duplicate: false } });
      // Nothing half-written while it was away: the refused message exists once, after the first answer.
      const fresh = new Shopper(server.url);
      fresh.resumeToken = shopper.resumeToken;
      const history = await fresh.start({ lastSeq: 0 });
      fresh.close();
      const messages = history.ok ? history.data.events.filter((event) => event.type === "message") : [];
      expect(messages.map((event) => event.type === "message" && event.clientId)).toEqual(["before", "during"]);
    } finally {
      shopper.close();
      await server.close();
      await proxy.close();
      await database.drop();
    }
  }, 90_000);
});

describe.skipIf(postgresProblem !== null)(`Postgres migrations${postgresProblem ? ` (skipped: ${postgresProblem})` : ""}`, () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => (database = await createTestDatabase()));
  afterAll(() => database?.drop());

  it("apply each version exactly once when several nodes migrate at the same moment", async () => {
    const nodes = await Promise.all([1, 2, 3, 4].map(() => Postgres.connect(database.url, { max: 2 })));
    try {
      const applied = await Promise.all(nodes.map((node) => migrate(node)));
      expect(applied.flat().sort()).toEqual(MIGRATIONS.map((migration) => migration.version));
      expect(await nodes[0]!.query("SELECT version FROM kefu_migrations ORDER BY version")).toEqual(MIGRATIONS.map((migration) => ({ version: migration.version })));
      expect(await migrate(nodes[1]!)).toEqual([]);
    } finally {
      await Promise.all(nodes.map((node) => node.close()));
    }
  });

  it("kefu migrate brings a fresh database up to date, then finds nothing to do", async () => {
    const fresh = await createTestDatabase();
    try {
      const first = await run("src/cli.ts", ["migrate"], { DATABASE_URL: fresh.url });
      expect(first.stderr).toBe("");
      expect(first.code).toBe(0);
      expect(first.stdout).toContain("applied version 1");
      const second = await run("src/cli.ts", ["migrate"], { DATABASE_URL: fresh.url });
      expect(second.stdout).toContain("nothing to apply");
      expect(second.stdout).toContain(`schema at version ${MIGRATIONS.at(-1)!.version}`);
      const without = await run("src/cli.ts", ["migrate"], {});
      expect(without.code).toBe(78);
      expect(without.stderr).toContain("needs DATABASE_URL");
    } finally {
      await fresh.drop();
    }
  }, 90_000);
});
