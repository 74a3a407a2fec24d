import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { logIn } from "../support/agent-client.ts";
import { startServerNode, type ServerNode } from "../support/server-process.ts";
import { createTestDatabase, postgresProblem, redisProblem, TEST_REDIS_URL } from "../support/services.ts";
import { Shopper } from "../support/shopper.ts";
import { FIXTURE_KNOWLEDGE } from "../support/start-test-app.ts";

const ADMIN = { email: "admin@pinebrook.test", password: "correct horse battery" };
const problem = postgresProblem ?? redisProblem;
const QUESTION = "How long does the Firefly solar lantern battery last?";
const lantern = {
  type: "product", sku: "T-LANTERN-9", lang: "en", name: "Firefly Solar Lantern", category: "Outdoor", price: 159, currency: "CNY", launchDate: "2026-11-20",
  attributes: { Battery: "runs 48 hours on one charge", Charging: "solar panel or USB-C" }, description: "A collapsible solar lantern for camping, waterproof to IPX6.",
};

type Health = { knowledge: { servedVersion: number; leader: boolean; listening: boolean; copying: unknown } };

/** Two real server processes sharing one Postgres database, one Redis and one knowledge folder (as a mounted volume would be). */
describe.skipIf(problem !== null)(`knowledge across two servers${problem ? ` (skipped: ${problem})` : ""}`, () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let knowledgeDir: string;
  let nodes: ServerNode[] = [];
  const shoppers: Shopper[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    knowledgeDir = await mkdtemp(join(tmpdir(), "kefu-shared-knowledge-"));
    await cp(FIXTURE_KNOWLEDGE, knowledgeDir, { recursive: true });
    const redis = new URL(TEST_REDIS_URL);
    redis.pathname = `/${1 + Math.floor(Math.random() * 15)}`;
    const env = {
      DATABASE_URL: database.url, REDIS_URL: redis.toString(), KNOWLEDGE_DIR: knowledgeDir, KNOWLEDGE_WATCH: "true",
      ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, MESSAGES_PER_MINUTE: "1000",
    };
    nodes = await Promise.all([startServerNode(env), startServerNode(env)]);
  }, 120_000);
  afterEach(() => {
    for (const shopper of shoppers.splice(0)) shopper.close();
  });
  afterAll(async () => {
    await Promise.all(nodes.map((node) => node.stop()));
    await database?.drop();
    if (knowledgeDir) await rm(knowledgeDir, { recursive: true, force: true });
  }, 60_000);

  const health = async (node: ServerNode) => ((await (await fetch(`${node.url}/healthz`)).json()) as Health).knowledge;

  async function admin(node: ServerNode, path: string, body?: unknown) {
    const { token } = await logIn(node.url, ADMIN.email, ADMIN.password);
    const response = await fetch(`${node.url}/api/admin/knowledge${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body ?? {}),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as { report: { version: number } } & { version: number };
  }

  /** A new conversation on `node`: the bot's answer (text, cited documents, the knowledge version it records) or the hand-off. */
  async function ask(node: ServerNode, question: string) {
    const shopper = new Shopper(node.url);
    shoppers.push(shopper);
    await shopper.start({ locale: "en" });
    await shopper.send(question);
    const outcome = await shopper.waitFor((event) => event.type === "answer-end" || (event.type === "state-changed" && event.state === "waiting"), 20_000);
    shopper.close();
    return outcome.type === "answer-end" ? { answered: true as const, text: outcome.text, documents: outcome.citations.map((citation) => citation.documentId), version: outcome.knowledgeVersion } : { answered: false as const, documents: [] as string[] };
  }

  it("exactly one server reads and watches the knowledge folder; both serve its version", async () => {
    const states = await Promise.all(nodes.map(health));
    expect(states.filter((state) => state.leader)).toHaveLength(1);
    expect(states[0]!.servedVersion).toBeGreaterThan(0);
    expect(states[1]!.servedVersion).toBe(states[0]!.servedVersion);
    expect(states.every((state) => state.listening)).toBe(true);
  });

  it("published on one server, answered on the other within 5 s, the answer recording the version; a rollback from the other reaches the first", async () => {
    const [a, b] = nodes as [ServerNode, ServerNode];
    expect((await ask(b, QUESTION)).documents).not.toContain("product:T-LANTERN-9:en");

    const sentAt = performance.now();
    const { report } = await admin(a, "/changes", { documents: [lantern] });
    const publishMs = performance.now() - sentAt;
    await expect.poll(async () => (await health(b)).servedVersion, { timeout: 5_000, interval: 50 }).toBe(report.version);
    const servedAfterMs = performance.now() - sentAt - publishMs;
    const onB = await ask(b, QUESTION);
    expect(onB).toMatchObject({ answered: true, version: report.version });
    expect(onB.answered && onB.text).toContain("48 hours");
    expect(onB.documents[0]).toBe("product:T-LANTERN-9:en");
    console.log(`publish request on A took ${Math.round(publishMs)} ms; B served the version ${Math.round(servedAfterMs)} ms after it returned`);

    const rolledBack = (await admin(b, `/versions/${report.version - 1}/rollback`)).report ?? (await Promise.reject(new Error("no report")));
    expect(rolledBack.version).toBe(report.version + 1);
    await expect.poll(async () => (await health(a)).servedVersion, { timeout: 5_000, interval: 50 }).toBe(rolledBack.version);
    const onA = await ask(a, QUESTION);
    expect(onA.documents).not.toContain("product:T-LANTERN-9:en");
    if (onA.answered) expect(onA.version).toBe(rolledBack.version);
  });

  it("a file dropped into the folder is published once and served by both; when the leader dies the other takes the folder over", async () => {
    const states = await Promise.all(nodes.map(health));
    const leader = nodes[states.findIndex((state) => state.leader)]!;
    const other = nodes.find((node) => node !== leader)!;
    const before = states[0]!.servedVersion;
    await writeFile(join(knowledgeDir, "lantern.jsonl"), `${JSON.stringify({ ...lantern, type: undefined })}\n`);
    // Each server follows the new version on its own: the one that published it is not always first.
    for (const node of [other, leader]) await expect.poll(async () => (await health(node)).servedVersion, { timeout: 10_000, interval: 100 }).toBe(before + 1);
    expect((await ask(other, QUESTION)).documents[0]).toBe("product:T-LANTERN-9:en");

    await leader.kill();
    await expect.poll(async () => (await health(other)).leader, { timeout: 15_000, interval: 200 }).toBe(true);
    await writeFile(join(knowledgeDir, "lantern.jsonl"), `${JSON.stringify({ ...lantern, type: undefined, attributes: { ...lantern.attributes, Battery: "runs 72 hours on one charge" } })}\n`);
    await expect.poll(async () => (await health(other)).servedVersion, { timeout: 10_000, interval: 100 }).toBe(before + 2);
    const answer = await ask(other, QUESTION);
    expect(answer.answered && answer.text).toContain("72 hours");
    nodes = nodes.filter((node) => node !== leader);
  }, 60_000);
});
