import express, { type Router } from "express";
import { z } from "zod";
import { changesPayload, type KnowledgeAdmin } from "../knowledge/knowledge-admin.ts";
import type { KnowledgeStore } from "../knowledge/knowledge-store.ts";
import { AppError } from "../errors.ts";
import { locale } from "../protocol/chat-payloads.ts";
import type { AgentAuth } from "./agent-auth.ts";
import { createGuards } from "./http-guards.ts";
import { parseOrThrow } from "./session-token.ts";

export const draftPayload = z.strictObject({
  question: z.string().trim().min(1).max(500),
  answer: z.string().trim().min(1).max(5000),
  lang: locale.optional(),
  conversationId: z.string().uuid().nullable().optional(),
});
export const draftChanges = z.strictObject({ question: z.string().trim().min(1).max(500).optional(), answer: z.string().trim().min(1).max(5000).optional(), lang: locale.optional() });
export const goldenPayload = z.strictObject({ questions: z.array(z.strictObject({ question: z.string().trim().min(1).max(500), productId: z.string().max(128).nullable().optional() })).max(2000) });

/** The knowledge API: admins publish, check, roll back and curate; any agent can propose a FAQ draft. */
export function createKnowledgeRoutes(deps: { auth: AgentAuth; admin: KnowledgeAdmin; knowledge: KnowledgeStore }): Router {
  const { admin, knowledge } = deps;
  const { requireAgent, requireAdmin, bodyAfter } = createGuards(deps.auth);
  const router = express.Router();
  // Bodies are read only after the session is checked (large ones for admins, small ones for agents).
  const json = bodyAfter(requireAdmin, express.json({ limit: "20mb" }));
  const text = bodyAfter(requireAdmin, express.text({ limit: "20mb", type: () => true }));
  const agentJson = bodyAfter(requireAgent, express.json({ limit: "32kb" }));
  const base = "/api/admin/knowledge";

  router.get(`${base}/documents`, async (request, response) => {
    await requireAdmin(request);
    const search = typeof request.query.search === "string" ? request.query.search : undefined;
    response.json({ version: await knowledge.version(), documents: await knowledge.listDocuments({ ...(search ? { search } : {}), limit: 500 }) });
  });
  router.get(`${base}/documents/:id`, async (request, response) => {
    await requireAdmin(request);
    const document = await knowledge.getDocument(request.params.id);
    if (!document) throw new AppError("NOT_FOUND", "This document does not exist.");
    response.json({ document });
  });
  router.post(`${base}/changes`, json, async (request, response) => {
    const agent = await requireAdmin(request);
    const result = await admin.publish(parseOrThrow(changesPayload, request.body), agent.email);
    response.status(result.published ? 200 : 409).json(result);
  });
  router.post(`${base}/check`, json, async (request, response) => {
    const agent = await requireAdmin(request);
    const input = parseOrThrow(changesPayload, request.body);
    response.json({ check: await admin.check(input, agent.email) });
  });
  router.delete(`${base}/documents/:id`, async (request, response) => {
    const agent = await requireAdmin(request);
    const result = await admin.publish({ documents: [], delete: [request.params.id], force: request.query.force === "true" }, agent.email);
    response.status(result.published ? 200 : 409).json(result);
  });
  router.post(`${base}/upload`, text, async (request, response) => {
    const agent = await requireAdmin(request);
    const filename = typeof request.query.filename === "string" ? request.query.filename : "";
    if (!filename) throw new AppError("BAD_REQUEST", "Name the file: ?filename=catalog.jsonl (or .csv, .md).");
    if (typeof request.body !== "string") throw new AppError("BAD_REQUEST", "Send the file's content as the request body.");
    const result = await admin.publish({ documents: [{ type: "file", filename, content: request.body }], delete: [], force: request.query.force === "true" }, agent.email);
    response.status(result.published ? 200 : 409).json(result);
  });
  router.get(`${base}/versions`, async (request, response) => {
    await requireAdmin(request);
    response.json({ current: await knowledge.version(), versions: await knowledge.listVersions() });
  });
  router.post(`${base}/versions/:version/rollback`, async (request, response) => {
    await requireAdmin(request);
    response.json({ report: await admin.rollback(Number(request.params.version)) });
  });
  router.get(`${base}/problems`, async (request, response) => {
    await requireAdmin(request);
    response.json({ problems: admin.problems });
  });
  router.get(`${base}/gaps`, async (request, response) => {
    await requireAdmin(request);
    response.json({ groups: await admin.gaps() });
  });
  router.get(`${base}/drafts`, async (request, response) => {
    await requireAdmin(request);
    const status = request.query.status;
    response.json({ drafts: await admin.listDrafts(status === "draft" || status === "published" || status === "dismissed" ? status : undefined) });
  });
  router.put(`${base}/drafts/:id`, json, async (request, response) => {
    await requireAdmin(request);
    response.json({ draft: await admin.updateDraft(String(request.params.id), parseOrThrow(draftChanges, request.body)) });
  });
  router.post(`${base}/drafts/:id/publish`, async (request, response) => {
    const agent = await requireAdmin(request);
    response.json(await admin.publishDraft(request.params.id, agent.email));
  });
  router.post(`${base}/drafts/:id/dismiss`, async (request, response) => {
    await requireAdmin(request);
    response.json({ draft: await admin.dismissDraft(request.params.id) });
  });
  router.get(`${base}/golden`, async (request, response) => {
    await requireAdmin(request);
    response.json({ questions: await admin.listGolden() });
  });
  router.put(`${base}/golden`, json, async (request, response) => {
    await requireAdmin(request);
    response.json({ questions: await admin.replaceGolden(parseOrThrow(goldenPayload, request.body).questions) });
  });

  // Any agent turns an answer they gave into a draft for an admin to publish.
  router.post("/api/agent/knowledge/drafts", agentJson, async (request, response) => {
    const agent = await requireAgent(request);
    const input = parseOrThrow(draftPayload, request.body);
    const lang = input.lang ?? (/\p{Script=Han}/u.test(input.question) ? "zh" : "en");
    response.status(201).json({ draft: await admin.createDraft({ question: input.question, answer: input.answer, lang, conversationId: input.conversationId ?? null }, agent.email) });
  });

  return router;
}
