import express, { type Router } from "express";
import { z } from "zod";
import { changesPayload, type KnowledgeAdmin } from "../knowledge/knowledge-admin.ts";
import type { KnowledgeStore } from "../knowledge/knowledge-store.ts";
import { AppError } from "../errors.ts";
import { locale } from "../protocol/chat-payloads.ts";
import type { AgentAuth } from "./agent-auth.ts";
import { createGuards } from "./http-guards.ts";
import { parseOrThrow } from "./session-token.ts";

const draftPayload = z.strictObject({
  question: z.string().trim().min(1).max(500),
  answer: z.string().trim().min(1).max(5000),
  lang: locale.optional(),
  conversationId: z.string().uuid().nullable().optional(),
});
const draftChanges = z.strictObject({ question: z.string().trim().min(1).max(500).optional(), answer: z.string().trim().min(1).max(5000).optional(), lang: locale.optional() });
const goldenPayload = z.strictObject({ questions: z.array(z.strictObject({ question: z.string().trim().min(1).max(500), productId: z.string().max(128).nullable().optional() })).max(2000) });

/** The knowledge API: admins publish, check, roll back and curate; any agent can propose a FAQ draft. */
export function createKnowledgeRoutes(deps: { auth: AgentAuth; admin: KnowledgeAdmin; knowledge: KnowledgeStore }): Router {
  const { admin, knowledge } = deps;
  const { requireAgent, requireAdmin } = createGuards(deps.auth);
  const router = express.Router();
  const json = express.json({ limit: "20mb" });
  const text = express.text({ limit: "20mb", type: () => true });
  const base = "/api/admin/knowledge";

  router.get(`${base}/documents`, async (request, response) => {
    requireAdmin(request);
    const search = typeof request.query.search === "string" ? request.query.search : undefined;
    response.json({ version: await knowledge.version(), documents: await knowledge.listDocuments({ ...(search ? { search } : {}), limit: 500 }) });
  });
  router.get(`${base}/documents/:id`, async (request, response) => {
    requireAdmin(request);
    const document = await knowledge.getDocument(request.params.id);
    if (!document) throw new AppError("NOT_FOUND", "This document does not exist.");
    response.json({ document });
  });
  router.post(`${base}/changes`, json, async (request, response) => {
    const agent = requireAdmin(request);
    const result = await admin.publish(parseOrThrow(changesPayload, request.body), agent.email);
    response.status(result.published ? 200 : 409).json(result);
  });
  router.post(`${base}/check`, json, async (request, response) => {
    const agent = requireAdmin(request);
    const input = parseOrThrow(changesPayload, request.body);
    response.json({ check: await admin.check(input, agent.email) });
  });
  router.delete(`${base}/documents/:id`, async (request, response) => {
    const agent = requireAdmin(request);
    const result = await admin.publish({ documents: [], delete: [request.params.id], force: request.query.force === "true" }, agent.email);
    response.status(result.published ? 200 : 409).json(result);
  });
  router.post(`${base}/upload`, text, async (request, response) => {
    const agent = requireAdmin(request);
    const filename = typeof request.query.filename === "string" ? request.query.filename : "";
    if (!filename) throw new AppError("BAD_REQUEST", "Name the file: ?filename=catalog.jsonl (or .csv, .md).");
    if (typeof request.body !== "string") throw new AppError("BAD_REQUEST", "Send the file's content as the request body.");
    const result = await admin.publish({ documents: [{ type: "file", filename, content: request.body }], delete: [], force: request.query.force === "true" }, agent.email);
    response.status(result.published ? 200 : 409).json(result);
  });
  router.get(`${base}/versions`, async (request, response) => {
    requireAdmin(request);
    response.json({ current: await knowledge.version(), versions: await knowledge.listVersions() });
  });
  router.post(`${base}/versions/:version/rollback`, async (request, response) => {
    requireAdmin(request);
    response.json({ report: await admin.rollback(Number(request.params.version)) });
  });
  router.get(`${base}/problems`, (request, response) => {
    requireAdmin(request);
    response.json({ problems: admin.problems });
  });
  router.get(`${base}/gaps`, async (request, response) => {
    requireAdmin(request);
    response.json({ groups: await admin.gaps() });
  });
  router.get(`${base}/drafts`, (request, response) => {
    requireAdmin(request);
    const status = request.query.status;
    response.json({ drafts: admin.listDrafts(status === "draft" || status === "published" || status === "dismissed" ? status : undefined) });
  });
  router.put(`${base}/drafts/:id`, json, (request, response) => {
    requireAdmin(request);
    response.json({ draft: admin.updateDraft(request.params.id, parseOrThrow(draftChanges, request.body)) });
  });
  router.post(`${base}/drafts/:id/publish`, async (request, response) => {
    const agent = requireAdmin(request);
    response.json(await admin.publishDraft(request.params.id, agent.email));
  });
  router.post(`${base}/drafts/:id/dismiss`, (request, response) => {
    requireAdmin(request);
    response.json({ draft: admin.dismissDraft(request.params.id) });
  });
  router.get(`${base}/golden`, (request, response) => {
    requireAdmin(request);
    response.json({ questions: admin.listGolden() });
  });
  router.put(`${base}/golden`, json, (request, response) => {
    requireAdmin(request);
    response.json({ questions: admin.replaceGolden(parseOrThrow(goldenPayload, request.body).questions) });
  });

  // Any agent turns an answer they gave into a draft for an admin to publish.
  router.post("/api/agent/knowledge/drafts", json, (request, response) => {
    const agent = requireAgent(request);
    const input = parseOrThrow(draftPayload, request.body);
    const lang = input.lang ?? (/\p{Script=Han}/u.test(input.question) ? "zh" : "en");
    response.status(201).json({ draft: admin.createDraft({ question: input.question, answer: input.answer, lang, conversationId: input.conversationId ?? null }, agent.email) });
  });

  return router;
}
