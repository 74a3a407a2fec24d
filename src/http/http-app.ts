import express, { type Express, type Router } from "express";
import type { BotQueueStats } from "../conversations/bot-queue.ts";
import type { KnowledgeStore } from "../knowledge/knowledge-store.ts";
import type { Logger } from "../logger.ts";
import { createErrorHandler } from "./http-errors.ts";
import { createSameOriginCheck } from "./same-origin-check.ts";

/**
 * The HTTP side: health for the process, readiness for the knowledge index, then the feature
 * routers in order, then the one error handler.
 */
export function createHttpApp(deps: {
  isReady: () => boolean;
  isDraining: () => boolean;
  botQueue: () => BotQueueStats;
  knowledge: KnowledgeStore;
  /** With several servers: which knowledge version this one serves, whether it leads the folder, copying progress. */
  knowledgeStatus?: () => unknown;
  trustProxy: (address: string, hop: number) => boolean;
  routers: readonly Router[];
  publicUrl: string | undefined;
  logger: Logger;
}): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", deps.trustProxy);
  app.get("/healthz", (_request, response) => {
    // The bot queue: answers waiting and running, the oldest wait, messages refused while it was full.
    response.json({ status: "ok", botQueue: deps.botQueue(), ...(deps.knowledgeStatus ? { knowledge: deps.knowledgeStatus() } : {}) });
  });
  app.get("/readyz", async (_request, response) => {
    const draining = deps.isDraining();
    const ready = deps.isReady() && !draining;
    response.status(ready ? 200 : 503).json({
      status: draining ? "draining" : ready ? "ready" : "loading",
      knowledgeVersion: await deps.knowledge.version(),
      passages: await deps.knowledge.passageCount(),
    });
  });
  app.use("/api", createSameOriginCheck({ publicUrl: deps.publicUrl }));
  for (const router of deps.routers) app.use(router);
  app.use(createErrorHandler(deps.logger));
  return app;
}
