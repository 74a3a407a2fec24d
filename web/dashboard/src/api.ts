import type { AgentProfile } from "../../../src/protocol/agent-events.ts";
import type { LoginPayload } from "../../../src/protocol/agent-payloads.ts";

/** An HTTP API error: the server's { error: { code, message, details? } } and the status. */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;
  constructor(code: string, message: string, status: number, details?: Record<string, unknown>) {
    super(message);
    this.code = code;
    this.status = status;
    this.details = details;
  }
}

const TOKEN_KEY = "kefu.agent.token";

export const session = {
  get token(): string | null {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  set(token: string): void {
    sessionStorage.setItem(TOKEN_KEY, token);
  },
  clear(): void {
    sessionStorage.removeItem(TOKEN_KEY);
  },
};

export type Method = "GET" | "POST" | "PUT" | "DELETE";

/**
 * One API call: a JSON body, or `text` sent as text/plain (an uploaded file). Statuses listed in
 * `accept` come back as data (a publish refused by the regression check is a 409 with a report);
 * any other failure throws an ApiError.
 */
export async function request<T>(method: Method, path: string, body?: unknown, options: { text?: string; accept?: number[] } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (options.text !== undefined) headers["content-type"] = "text/plain; charset=utf-8";
  else if (body !== undefined) headers["content-type"] = "application/json";
  const token = session.token;
  if (token) headers.authorization = `Bearer ${token}`;
  const payload = options.text !== undefined ? options.text : body !== undefined ? JSON.stringify(body) : undefined;
  let response: Response;
  try {
    response = await fetch(path, { method, headers, credentials: "same-origin", ...(payload !== undefined ? { body: payload } : {}) });
  } catch {
    throw new ApiError("NETWORK", "The server cannot be reached. Check your connection.", 0);
  }
  const data = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string; details?: Record<string, unknown> } } | null;
  if (!response.ok && !options.accept?.includes(response.status)) {
    throw new ApiError(data?.error?.code ?? "INTERNAL", data?.error?.message ?? `HTTP ${response.status}`, response.status, data?.error?.details);
  }
  return data as T;
}

export type LoginResult = { token: string; agent: AgentProfile; expiresAt: string };

export async function login(payload: LoginPayload): Promise<LoginResult> {
  const result = await request<LoginResult>("POST", "/api/agent/login", payload);
  session.set(result.token);
  return result;
}

export async function logout(): Promise<void> {
  try {
    await request("POST", "/api/agent/logout", {});
  } finally {
    session.clear();
  }
}

export async function me(): Promise<AgentProfile> {
  return (await request<{ agent: AgentProfile }>("GET", "/api/agent/me")).agent;
}

/** Any agent: an answer they gave to a shopper becomes a FAQ draft for an admin to review and publish. */
export async function saveFaqDraft(input: { question: string; answer: string; conversationId: string | null }): Promise<{ id: string }> {
  return (await request<{ draft: { id: string } }>("POST", "/api/agent/knowledge/drafts", input)).draft;
}
