import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "../logger.ts";
import type { Postgres } from "../storage/postgres.ts";
import { FolderLeader } from "./folder-leader.ts";
import type { FolderSync } from "./folder-sync.ts";
import { KnowledgeFollower, type FollowerStatus } from "./knowledge-follower.ts";
import type { IngestReport } from "./knowledge-store.ts";
import { knowledgeStarted } from "./pg-knowledge-store.ts";

export type SharedKnowledge = {
  /** Resolves once this server serves the published knowledge (after its folder sync, when it leads). */
  ready: Promise<IngestReport>;
  status(): FollowerStatus & { leader: boolean };
  close(): Promise<void>;
};

/**
 * Knowledge when several servers share one Postgres database: one server (the folder leader)
 * reads and watches KNOWLEDGE_DIR and publishes what changed; every server follows the published
 * version into its own search index. A server that does not lead is ready once the knowledge has
 * been published (or the leader found the folder empty) and copied here.
 */
export function startSharedKnowledge(options: {
  postgres: Postgres;
  knowledge: { follow(): Promise<{ version: number; changed: boolean }>; passageCount(): Promise<number> };
  refreshSearch: () => Promise<void>;
  folder: FolderSync;
  watch: boolean;
  progressChannel: string;
  logger: Logger;
}): SharedKnowledge {
  const { postgres, knowledge, folder, logger } = options;
  let closed = false;
  const follower = new KnowledgeFollower({ postgres, follow: () => knowledge.follow(), onChanged: options.refreshSearch, logger, progressChannel: options.progressChannel });
  // Watch before reading the folder: a file changed while the sync runs brings another sync, never a miss.
  const lead = async () => {
    if (options.watch && !closed) folder.watch();
    await folder.syncNow();
  };
  const leader = new FolderLeader({ postgres, onLead: lead, onLose: () => folder.close(), logger });

  const ready = (async (): Promise<IngestReport> => {
    if (await leader.start()) {
      if (options.watch && !closed) folder.watch();
      const report = await folder.syncNow();
      await follower.start();
      await options.refreshSearch();
      return report;
    }
    for (let waited = 0; !(await knowledgeStarted(postgres)); waited += 1) {
      if (closed) throw new Error("closed before the knowledge was published");
      if (waited % 10 === 0) logger.info("waiting for the server that reads the knowledge folder to publish it");
      await sleep(500);
    }
    await follower.start();
    await options.refreshSearch();
    const version = follower.status.servedVersion;
    return { version, added: 0, updated: 0, removed: 0, unchanged: 0, passages: await knowledge.passageCount(), problems: [] };
  })();

  return {
    ready,
    status: () => ({ ...follower.status, leader: leader.leading }),
    close: async () => {
      closed = true;
      leader.close();
      await follower.close();
    },
  };
}
