import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp, type App, type AppOverrides } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { createSilentLogger } from "../../src/logger.ts";
import { createTestDatabase } from "./services.ts";

export const FIXTURE_KNOWLEDGE = new URL("../fixtures/knowledge/", import.meta.url).pathname;

export type TestApp = {
  app: App;
  url: string;
  dataDir: string;
  knowledgeDir: string;
  /** Close the app and start a new one on the same data and knowledge folders. */
  restart(): Promise<TestApp>;
  close(): Promise<void>;
};

/**
 * Start the real app on port 0 with a real SQLite file in a fresh temp folder and a copy of the
 * fixture knowledge (or the folder given), and wait until it is ready.
 */
export async function startTestApp(options: { env?: Record<string, string>; knowledgeDir?: string; overrides?: AppOverrides; dataDir?: string } = {}): Promise<TestApp> {
  const root = await mkdtemp(join(tmpdir(), "kefu-test-"));
  const dataDir = options.dataDir ?? join(root, "data");
  let knowledgeDir = options.knowledgeDir;
  if (!knowledgeDir) {
    knowledgeDir = join(root, "knowledge");
    await cp(FIXTURE_KNOWLEDGE, knowledgeDir, { recursive: true });
  }
  // KEFU_TEST_POSTGRES=1 runs the same suites with every store in a throw-away Postgres database.
  if (process.env.KEFU_TEST_POSTGRES === "1" && !options.env?.DATABASE_URL) {
    const database = await createTestDatabase();
    const app = await boot({ ...options, env: { ...options.env, DATABASE_URL: database.url }, dataDir, knowledgeDir, cleanup: root });
    return { ...app, close: async () => { await app.close(); await database.drop(); } };
  }
  return boot({ ...options, dataDir, knowledgeDir, cleanup: root });
}

async function boot(options: { env?: Record<string, string>; overrides?: AppOverrides; dataDir: string; knowledgeDir: string; cleanup: string }): Promise<TestApp> {
  const config = loadConfig({ PORT: "0", HOST: "127.0.0.1", DATA_DIR: options.dataDir, KNOWLEDGE_DIR: options.knowledgeDir, LOG_LEVEL: "silent", DB_SYNCHRONOUS: "normal", ...options.env });
  const app = await createApp({ config, logger: createSilentLogger(), ...(options.overrides ? { overrides: options.overrides } : {}) });
  const { url } = await app.listen();
  await app.ready;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await app.close();
  };
  return {
    app,
    url,
    dataDir: options.dataDir,
    knowledgeDir: options.knowledgeDir,
    restart: async () => {
      await close();
      return boot({ ...options, cleanup: options.cleanup });
    },
    close: async () => {
      await close();
      await rm(options.cleanup, { recursive: true, force: true });
    },
  };
}
