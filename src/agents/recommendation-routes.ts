import express, { type Router } from "express";
import type { ShoppingAssistant } from "../shopping/shopping-assistant.ts";
import type { AgentAuth } from "./agent-auth.ts";
import { createGuards } from "./http-guards.ts";

/** Admins see how often each product was recommended in chat and opened from its card. */
export function createRecommendationRoutes(deps: { auth: AgentAuth; shopping: ShoppingAssistant }): Router {
  const { requireAdmin } = createGuards(deps.auth);
  const router = express.Router();
  router.get("/api/admin/recommendations", async (request, response) => {
    await requireAdmin(request);
    response.json({ products: await deps.shopping.report(request.query.lang === "zh" ? "zh" : "en") });
  });
  return router;
}
