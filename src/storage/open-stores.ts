import { join, resolve } from "node:path";
import type { AgentStore } from "../agents/agent-store.ts";
import { PgAgentStore } from "../agents/pg-agent-store.ts";
import { SqliteAgentStore } from "../agents/sqlite-agent-store.ts";
import type { Config } from "../config.ts";
import type { ConversationStore } from "../conversations/conversation-store.ts";
import { PgConversationStore } from "../conversations/pg-conversation-store.ts";
import { SqliteConversationStore } from "../conversations/sqlite-conversation-store.ts";
import type { CurationStore } from "../knowledge/curation-store.ts";
import { PgCurationStore } from "../knowledge/pg-curation-store.ts";
import { SqliteCurationStore } from "../knowledge/sqlite-curation-store.ts";
import type { Logger } from "../logger.ts";
import { PgPrivacyStore } from "../privacy/pg-privacy-store.ts";
import type { PrivacyStore } from "../privacy/privacy-store.ts";
import { SqlitePrivacyStore } from "../privacy/sqlite-privacy-store.ts";
import type { CatalogDraftLog } from "../shopping/catalog-draft-log.ts";
import { PgCatalogDraftLog } from "../shopping/pg-catalog-draft-log.ts";
import { PgRecommendationStore } from "../shopping/pg-recommendation-store.ts";
import type { RecommendationStore } from "../shopping/recommendation-store.ts";
import { SqliteCatalogDraftLog } from "../shopping/sqlite-catalog-draft-log.ts";
import { SqliteRecommendationStore } from "../shopping/sqlite-recommendation-store.ts";
import { Postgres } from "./postgres.ts";
import { migrate } from "./postgres-migrations.ts";

export type Stores = {
  conversations: ConversationStore;
  agents: AgentStore;
  curation: CurationStore;
  privacy: PrivacyStore;
  recommendations: RecommendationStore;
  catalogDraftLog: CatalogDraftLog;
  /** The shared pool when DATABASE_URL is set. */
  postgres: Postgres | undefined;
  close(): Promise<void>;
};

/**
 * The durable stores: SQLite files in DATA_DIR by default, or Postgres when DATABASE_URL is set
 * (schema brought up to date first, safely when several servers start at once).
 */
export async function openStores(config: Config, logger: Logger, overrides: { conversations?: ConversationStore } = {}): Promise<Stores> {
  const dataDir = resolve(config.dataDir);
  const sqlite = { synchronous: config.database.synchronous };
  const postgres = config.database.url ? await openPostgres(config.database.url, logger) : undefined;
  const conversations = overrides.conversations ?? (postgres ? new PgConversationStore(postgres) : new SqliteConversationStore(join(dataDir, "kefu.db"), {
    ...sqlite,
    onWriterCrash: (error) => logger.error({ err: error }, "conversation writer thread died; its batch in flight failed, a new thread takes the rest"),
  }));
  const agents = postgres ? new PgAgentStore(postgres) : new SqliteAgentStore(join(dataDir, "agents.db"), sqlite);
  const writerCrash = (store: string) => (error: unknown) => logger.error({ err: error }, `${store} writer thread died; the writes it held failed, a new thread takes the rest`);
  const curation = postgres ? new PgCurationStore(postgres) : new SqliteCurationStore(join(dataDir, "curation.db"), { ...sqlite, onWriterCrash: writerCrash("curation") });
  const privacy = postgres ? new PgPrivacyStore(postgres) : new SqlitePrivacyStore({ conversations: join(dataDir, "kefu.db"), log: join(dataDir, "privacy.db") }, sqlite);
  const recommendations = postgres ? new PgRecommendationStore(postgres) : new SqliteRecommendationStore(join(dataDir, "shopping.db"), sqlite);
  const catalogDraftLog = postgres ? new PgCatalogDraftLog(postgres) : new SqliteCatalogDraftLog(join(dataDir, "catalog-drafts.db"), { ...sqlite, onWriterCrash: writerCrash("catalog draft log") });
  return {
    conversations,
    agents,
    curation,
    privacy,
    recommendations,
    catalogDraftLog,
    postgres,
    close: async () => {
      await catalogDraftLog.close();
      await privacy.close();
      await recommendations.close();
      await conversations.close();
      await agents.close();
      await curation.close();
      await postgres?.close();
    },
  };
}

/** Only the privacy store (for `kefu privacy`), on the same backend the server uses. */
export async function openPrivacyStore(config: Config, logger: Logger): Promise<{ store: PrivacyStore; close(): Promise<void> }> {
  if (!config.database.url) {
    const dataDir = resolve(config.dataDir);
    const store = new SqlitePrivacyStore({ conversations: join(dataDir, "kefu.db"), log: join(dataDir, "privacy.db") }, { synchronous: config.database.synchronous });
    return { store, close: () => store.close() };
  }
  const postgres = await openPostgres(config.database.url, logger);
  return { store: new PgPrivacyStore(postgres), close: () => postgres.close() };
}

/** Only the agent store (for `kefu agent`), on the same backend the server uses. */
export async function openAgentStore(config: Config, logger: Logger): Promise<{ store: AgentStore; close(): Promise<void> }> {
  if (!config.database.url) {
    const store = new SqliteAgentStore(join(resolve(config.dataDir), "agents.db"), { synchronous: config.database.synchronous });
    return { store, close: () => store.close() };
  }
  const postgres = await openPostgres(config.database.url, logger);
  return { store: new PgAgentStore(postgres), close: () => postgres.close() };
}

/** Connect to DATABASE_URL and bring its schema up to date. */
export async function openPostgres(url: string, logger: Logger): Promise<Postgres> {
  const postgres = await Postgres.connect(url, { onError: (error) => logger.warn({ err: error }, "idle Postgres connection lost") });
  try {
    const applied = await migrate(postgres);
    if (applied.length > 0) logger.info({ versions: applied }, "database migrated");
  } catch (error) {
    await postgres.close();
    throw error;
  }
  return postgres;
}
