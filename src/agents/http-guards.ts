import type { Request, RequestHandler } from "express";
import { AppError } from "../errors.ts";
import type { AgentProfile } from "../protocol/agent-events.ts";
import type { AgentAuth } from "./agent-auth.ts";
import { sessionToken } from "./session-token.ts";

type Guard = (request: Request) => Promise<AgentProfile>;

/**
 * Who may call an HTTP route: any logged-in agent, or admins only. The session is checked on every
 * request (once: the result is kept for the rest of that request). `bodyAfter` reads a body only
 * once the caller is known, so an anonymous client cannot make the server buffer a large upload;
 * a refused request closes its connection instead of draining what is left of the body.
 */
export function createGuards(auth: AgentAuth) {
  const known = new WeakMap<Request, AgentProfile>();
  const requireAgent: Guard = async (request) => {
    const cached = known.get(request);
    if (cached) return cached;
    const agent = await auth.authenticate(sessionToken(request.headers));
    if (!agent) throw new AppError("UNAUTHORIZED", "Log in first.");
    known.set(request, agent);
    return agent;
  };
  const requireAdmin: Guard = async (request) => {
    const agent = await requireAgent(request);
    if (agent.role !== "admin") throw new AppError("FORBIDDEN", "Only admins can do this.");
    return agent;
  };
  const bodyAfter =
    (guard: Guard, parser: RequestHandler): RequestHandler =>
    (request, response, next) => {
      guard(request).then(
        () => parser(request, response, next),
        (error: unknown) => {
          response.set("Connection", "close");
          next(error);
        },
      );
    };
  return { requireAgent, requireAdmin, bodyAfter };
}
