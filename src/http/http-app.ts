import express, { type Express, type Router } from "express";
import type { KnowledgeStore } from "../knowledge/knowledge-store.ts";
import type { Logger } from "../logger.ts";
import { createErrorHandler } from "./http-errors.ts";

/**
 * The HTTP side: health for the process, readiness for the knowledge index, then the feature
 * routers in order, then the one error handler.
 */
export function createHttpApp(deps: { isReady: () => boolean; knowledge: KnowledgeStore; routers: readonly Router[]; logger: Logger }): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");
  app.get("/healthz", (_request, response) => {
    response.json({ status: "ok" });
  });
  app.get("/readyz", async (_request, response) => {
    const ready = deps.isReady();
    response.status(ready ? 200 : 503).json({
      status: ready ? "ready" : "loading",
      knowledgeVersion: await deps.knowledge.version(),
      passages: await deps.knowledge.passageCount(),
    });
  });
  for (const router of deps.routers) app.use(router);
  app.use(createErrorHandler(deps.logger));
  return app;
}
