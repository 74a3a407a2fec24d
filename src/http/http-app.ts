import express, { type Express } from "express";
import type { KnowledgeBase } from "../knowledge/knowledge-base.ts";

/** The HTTP side: health for the process, readiness for the knowledge index. */
export function createHttpApp(deps: { isReady: () => boolean; knowledge: KnowledgeBase }): Express {
  const app = express();
  app.disable("x-powered-by");
  app.get("/healthz", (_request, response) => {
    response.json({ status: "ok" });
  });
  app.get("/readyz", (_request, response) => {
    const ready = deps.isReady();
    response.status(ready ? 200 : 503).json({
      status: ready ? "ready" : "loading",
      knowledgeVersion: deps.knowledge.version,
      passages: deps.knowledge.passageCount,
    });
  });
  return app;
}
