import type { AgentProfile } from "../../../src/protocol/agent-events.ts";
import { request, session, type LoginResult } from "./api.ts";

export type AgentAccount = AgentProfile & { disabled: boolean };

/**
 * The agent's own password change, while it runs: the server ends every session of the agent
 * (this tab's socket too), and the app waits for it to know whether to carry on with the new token.
 */
export let pendingPasswordChange: Promise<LoginResult> | null = null;

export async function changeOwnPassword(currentPassword: string, newPassword: string): Promise<LoginResult> {
  const change = request<LoginResult>("POST", "/api/agent/password", { currentPassword, newPassword }).then((result) => {
    session.set(result.token);
    return result;
  });
  pendingPasswordChange = change;
  try {
    return await change;
  } finally {
    setTimeout(() => (pendingPasswordChange = null), 5_000);
  }
}

export async function listAgents(): Promise<AgentAccount[]> {
  return (await request<{ agents: AgentAccount[] }>("GET", "/api/admin/agents")).agents;
}

export async function setAgentDisabled(id: string, disabled: boolean): Promise<AgentAccount> {
  return (await request<{ agent: AgentAccount }>("POST", `/api/admin/agents/${encodeURIComponent(id)}/${disabled ? "disable" : "enable"}`)).agent;
}

export async function resetAgentPassword(id: string, newPassword: string): Promise<void> {
  await request("POST", `/api/admin/agents/${encodeURIComponent(id)}/password`, { newPassword });
}
