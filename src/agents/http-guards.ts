import type { Request } from "express";
import { AppError } from "../errors.ts";
import type { AgentProfile } from "../protocol/agent-events.ts";
import type { AgentAuth } from "./agent-auth.ts";
import { sessionToken } from "./session-token.ts";

/** Who may call an HTTP route: any logged-in agent, or admins only. The session is checked on every request. */
export function createGuards(auth: AgentAuth) {
  const requireAgent = async (request: Request): Promise<AgentProfile> => {
    const agent = await auth.authenticate(sessionToken(request.headers));
    if (!agent) throw new AppError("UNAUTHORIZED", "Log in first.");
    return agent;
  };
  const requireAdmin = async (request: Request): Promise<AgentProfile> => {
    const agent = await requireAgent(request);
    if (agent.role !== "admin") throw new AppError("FORBIDDEN", "Only admins can do this.");
    return agent;
  };
  return { requireAgent, requireAdmin };
}
