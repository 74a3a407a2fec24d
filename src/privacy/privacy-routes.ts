import express, { type Router } from "express";
import { z } from "zod";
import type { AgentAuth } from "../agents/agent-auth.ts";
import { createGuards } from "../agents/http-guards.ts";
import { parseOrThrow } from "../agents/session-token.ts";
import type { ShopperData } from "./shopper-data.ts";

export const shopperRef = z.union([z.strictObject({ conversationId: z.string().uuid() }), z.strictObject({ email: z.email().max(200) })], { error: "give conversationId or email" });

/** Admins export or delete one shopper's data, and read the log of deletions. */
export function createPrivacyRoutes(deps: { auth: AgentAuth; data: ShopperData }): Router {
  const { requireAdmin, bodyAfter } = createGuards(deps.auth);
  const router = express.Router();
  const base = "/api/admin/privacy";

  router.get(`${base}/export`, async (request, response) => {
    await requireAdmin(request);
    const ref = parseOrThrow(shopperRef, { ...request.query });
    response.set("Content-Disposition", 'attachment; filename="kefu-export.json"').json(await deps.data.export(ref));
  });
  router.post(`${base}/delete`, bodyAfter(requireAdmin, express.json({ limit: "4kb" })), async (request, response) => {
    const admin = await requireAdmin(request);
    response.json({ deletion: await deps.data.delete(parseOrThrow(shopperRef, request.body), admin.email) });
  });
  router.get(`${base}/deletions`, async (request, response) => {
    await requireAdmin(request);
    response.json({ deletions: await deps.data.listDeletions() });
  });
  return router;
}
