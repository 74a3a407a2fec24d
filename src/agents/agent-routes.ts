import express, { type Response, type Router } from "express";
import { AppError } from "../errors.ts";
import { conversationListPayload, createAgentPayload, loginPayload, ownPasswordPayload, resetPasswordPayload } from "../protocol/agent-payloads.ts";
import type { AgentAuth, Session } from "./agent-auth.ts";
import type { AgentDesk } from "./agent-desk.ts";
import { createGuards } from "./http-guards.ts";
import { parseOrThrow, sessionToken, SESSION_COOKIE } from "./session-token.ts";

/** HTTP for agents: log in and out, change their password, and read conversations; admins manage agents. */
export function createAgentRoutes(deps: { auth: AgentAuth; desk: AgentDesk }): Router {
  const { auth, desk } = deps;
  const router = express.Router();
  // The only body read before authentication is a login's, and it is small.
  const json = express.json({ limit: "4kb" });
  const { requireAgent, requireAdmin, bodyAfter } = createGuards(auth);
  const adminJson = bodyAfter(requireAdmin, express.json({ limit: "32kb" }));

  router.post("/api/agent/login", json, async (request, response) => {
    const { email, password } = parseOrThrow(loginPayload, request.body);
    const session = await auth.login(email, password, request.ip ?? "unknown");
    setSessionCookie(response, session, request.secure);
    response.json(session);
  });

  // Every session of the agent ends (other devices too); this one continues with a new token.
  router.post("/api/agent/password", bodyAfter(requireAgent, express.json({ limit: "4kb" })), async (request, response) => {
    const { currentPassword, newPassword } = parseOrThrow(ownPasswordPayload, request.body);
    const session = await auth.changeOwnPassword(sessionToken(request.headers) ?? "", currentPassword, newPassword);
    setSessionCookie(response, session, request.secure);
    response.json(session);
  });

  router.post("/api/agent/logout", async (request, response) => {
    const token = sessionToken(request.headers);
    if (token) await auth.logout(token);
    response.clearCookie(SESSION_COOKIE, { path: "/" }).status(204).end();
  });

  router.get("/api/agent/me", async (request, response) => {
    response.json({ agent: await requireAgent(request) });
  });

  router.get("/api/agent/conversations", async (request, response) => {
    const agent = await requireAgent(request);
    const query = parseOrThrow(conversationListPayload, {
      filter: request.query.filter ?? "all",
      ...(typeof request.query.search === "string" && request.query.search ? { search: request.query.search } : {}),
      ...(request.query.limit ? { limit: Number(request.query.limit) } : {}),
    });
    response.json({ conversations: await desk.list(agent, query) });
  });

  router.get("/api/agent/conversations/:id", async (request, response) => {
    await requireAgent(request);
    if (!/^[0-9a-f-]{36}$/i.test(request.params.id)) throw new AppError("NOT_FOUND", "This conversation does not exist.");
    response.json(await desk.detail(request.params.id));
  });

  router.get("/api/admin/agents", async (request, response) => {
    await requireAdmin(request);
    response.json({ agents: await auth.listAgents() });
  });

  router.post("/api/admin/agents", adminJson, async (request, response) => {
    await requireAdmin(request);
    response.status(201).json({ agent: await auth.createAgent(parseOrThrow(createAgentPayload, request.body)) });
  });

  router.post("/api/admin/agents/:id/password", adminJson, async (request, response) => {
    await requireAdmin(request);
    await auth.resetPassword(String(request.params.id), parseOrThrow(resetPasswordPayload, request.body).newPassword);
    response.status(204).end();
  });

  for (const action of ["disable", "enable"] as const) {
    router.post(`/api/admin/agents/:id/${action}`, async (request, response) => {
      const admin = await requireAdmin(request);
      response.json({ agent: await auth.setDisabled(String(request.params.id), action === "disable", admin) });
    });
  }

  router.post("/api/admin/agents/:id/revoke-sessions", async (request, response) => {
    await requireAdmin(request);
    response.json({ revoked: await auth.revokeAgent(request.params.id) });
  });

  return router;
}

/** The cookie lives as long as the session (a duration, so the browser's clock and the server's need not agree). */
function setSessionCookie(response: Response, session: Session, secure: boolean): void {
  response.cookie(SESSION_COOKIE, session.token, { httpOnly: true, sameSite: "strict", secure, path: "/", maxAge: session.lifetimeMs });
}
