import { z } from "zod";
import { draftChanges, draftPayload, goldenPayload } from "../agents/knowledge-routes.ts";
import { changesPayload } from "../knowledge/knowledge-admin.ts";
import { conversationListPayload, createAgentPayload, loginPayload, ownPasswordPayload, resetPasswordPayload } from "../protocol/agent-payloads.ts";
import { shopperRef } from "../privacy/privacy-routes.ts";

/** Who may call an operation: anyone, any logged-in agent (session cookie or bearer token), admins only. */
export type Access = "public" | "agent" | "admin" | "metrics";

/** One HTTP operation as the API document describes it; bodies are the very zod schemas the routes parse with. */
export type ApiOperation = {
  method: "get" | "post" | "put" | "delete";
  path: string;
  summary: string;
  access: Access;
  tag: string;
  body?: z.ZodType;
  /** Body sent as the raw text of a file instead of JSON. */
  textBody?: boolean;
  query?: z.ZodObject;
  /** The success status when it is not 200. */
  status?: number;
};

const id = "/{id}";
const knowledge = "/api/admin/knowledge";
const lang = z.object({ lang: z.enum(["en", "zh"]).optional() });
const force = z.object({ force: z.enum(["true", "false"]).optional() });

/** Every route of Kefu's HTTP API (the test in test/integration/openapi.test.ts keeps this list and the routers equal). */
export const API_OPERATIONS: readonly ApiOperation[] = [
  { method: "get", path: "/healthz", summary: "The process is up", access: "public", tag: "operations" },
  { method: "get", path: "/readyz", summary: "The knowledge index can answer (503 while loading or draining)", access: "public", tag: "operations" },
  { method: "get", path: "/metrics", summary: "Prometheus metrics (loopback only, or Authorization: Bearer METRICS_TOKEN)", access: "metrics", tag: "operations" },
  { method: "get", path: "/api/openapi.json", summary: "This document", access: "public", tag: "operations" },
  { method: "get", path: "/api/products", summary: "The demo store's products", access: "public", tag: "demo store", query: lang },
  { method: "get", path: "/api/products/{sku}", summary: "One product of the demo store", access: "public", tag: "demo store", query: lang },
  { method: "get", path: "/api/help", summary: "The demo store's help pages", access: "public", tag: "demo store", query: lang },
  { method: "get", path: `/api/help${id}`, summary: "One help page of the demo store", access: "public", tag: "demo store", query: lang },
  { method: "post", path: "/api/agent/login", summary: "Log in; sets the session cookie and returns the session token", access: "public", tag: "agents", body: loginPayload },
  { method: "post", path: "/api/agent/logout", summary: "Log out", access: "public", tag: "agents", status: 204 },
  { method: "get", path: "/api/agent/me", summary: "The logged-in agent", access: "agent", tag: "agents" },
  { method: "get", path: "/api/agent/conversations", summary: "Conversation summaries", access: "agent", tag: "agents", query: conversationListPayload },
  { method: "get", path: `/api/agent/conversations${id}`, summary: "One conversation: events, notes, actions", access: "agent", tag: "agents" },
  { method: "get", path: "/api/admin/agents", summary: "Agent accounts", access: "admin", tag: "agents" },
  { method: "post", path: "/api/admin/agents", summary: "Create an agent account", access: "admin", tag: "agents", body: createAgentPayload, status: 201 },
  { method: "post", path: "/api/agent/password", summary: "Change one's own password (other sessions end; this one gets a new token)", access: "agent", tag: "agents", body: ownPasswordPayload },
  { method: "post", path: `/api/admin/agents${id}/password`, summary: "Set an agent's password (their sessions end)", access: "admin", tag: "agents", body: resetPasswordPayload, status: 204 },
  { method: "post", path: `/api/admin/agents${id}/disable`, summary: "Disable an account (its sessions end)", access: "admin", tag: "agents" },
  { method: "post", path: `/api/admin/agents${id}/enable`, summary: "Enable an account again", access: "admin", tag: "agents" },
  { method: "post", path: `/api/admin/agents${id}/revoke-sessions`, summary: "End every session of an agent", access: "admin", tag: "agents" },
  { method: "get", path: `${knowledge}/documents`, summary: "Knowledge documents", access: "admin", tag: "knowledge", query: z.object({ search: z.string().optional() }) },
  { method: "get", path: `${knowledge}/documents${id}`, summary: "One knowledge document", access: "admin", tag: "knowledge" },
  { method: "post", path: `${knowledge}/changes`, summary: "Publish documents and deletions as one new version (409 when the check refuses)", access: "admin", tag: "knowledge", body: changesPayload },
  { method: "post", path: `${knowledge}/check`, summary: "Regression check of changes without publishing", access: "admin", tag: "knowledge", body: changesPayload },
  { method: "delete", path: `${knowledge}/documents${id}`, summary: "Delete a document (a new version)", access: "admin", tag: "knowledge", query: force },
  { method: "post", path: `${knowledge}/upload`, summary: "Publish one file (catalog .jsonl/.csv or FAQ .md) sent as the body", access: "admin", tag: "knowledge", textBody: true, query: force.extend({ filename: z.string().min(1) }) },
  { method: "get", path: `${knowledge}/versions`, summary: "Knowledge version history", access: "admin", tag: "knowledge" },
  { method: "post", path: `${knowledge}/versions/{version}/rollback`, summary: "Roll back to a version", access: "admin", tag: "knowledge" },
  { method: "get", path: `${knowledge}/problems`, summary: "Problems of the watched folder", access: "admin", tag: "knowledge" },
  { method: "get", path: `${knowledge}/gaps`, summary: "Knowledge gaps: questions handed off for want of facts", access: "admin", tag: "knowledge" },
  { method: "get", path: `${knowledge}/drafts`, summary: "FAQ drafts", access: "admin", tag: "knowledge", query: z.object({ status: z.enum(["draft", "published", "dismissed"]).optional() }) },
  { method: "put", path: `${knowledge}/drafts${id}`, summary: "Edit a FAQ draft", access: "admin", tag: "knowledge", body: draftChanges },
  { method: "post", path: `${knowledge}/drafts${id}/publish`, summary: "Publish a FAQ draft", access: "admin", tag: "knowledge" },
  { method: "post", path: `${knowledge}/drafts${id}/dismiss`, summary: "Dismiss a FAQ draft", access: "admin", tag: "knowledge" },
  { method: "get", path: `${knowledge}/golden`, summary: "Golden questions of the regression check", access: "admin", tag: "knowledge" },
  { method: "put", path: `${knowledge}/golden`, summary: "Replace the golden questions", access: "admin", tag: "knowledge", body: goldenPayload },
  { method: "get", path: "/api/admin/recommendations", summary: "Product cards shown and clicked, per product, with its name in lang", access: "admin", tag: "shopping", query: lang },
  { method: "get", path: "/api/admin/privacy/export", summary: "One shopper's data as JSON, by conversation id or contact email", access: "admin", tag: "privacy", query: z.object({ conversationId: z.string().uuid().optional(), email: z.email().optional() }) },
  { method: "post", path: "/api/admin/privacy/delete", summary: "Delete one shopper's data (logged without the data)", access: "admin", tag: "privacy", body: shopperRef },
  { method: "get", path: "/api/admin/privacy/deletions", summary: "The log of deletions", access: "admin", tag: "privacy" },
  { method: "post", path: "/api/agent/knowledge/drafts", summary: "Propose a FAQ draft from an answer", access: "agent", tag: "knowledge", body: draftPayload, status: 201 },
];
