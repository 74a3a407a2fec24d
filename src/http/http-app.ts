import express, { type Express, type Router } from "express";
import type { BotQueueStats } from "../conversations/bot-queue.ts";
import type { KnowledgeBase } from "../knowledge/knowledge-base.ts";
import type { Logger } from "../logger.ts";
import { createErrorHandler } from "./http-errors.ts";

/**
 * The HTTP side: health for the process, readiness for the knowledge index, then the feature
 * routers in order, then the one error handler.
 */
export function createHttpApp(deps: { isReady: () => boolean; botQueue: () => BotQueueStats; knowledge: KnowledgeBase; routers: readonly Router[]; logger: Logger }): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");
  app.get("/healthz", (_request, response) => {
    // The bot queue: answers waiting and running, the oldest wait, messages refused while it was full.
    response.json({ status: "ok", botQueue: deps.botQueue() });
  });
  app.get("/readyz", (_request, response) => {
    const ready = deps.isReady();
    response.status(ready ? 200 : 503).json({
      status: ready ? "ready" : "loading",
      knowledgeVersion: deps.knowledge.version,
      passages: deps.knowledge.passageCount,
    });
  });
  for (const router of deps.routers) app.use(router);
  app.use(createErrorHandler(deps.logger));
  return app;
}
