/** The few admin HTTP calls a bench needs: log in, publish knowledge changes. */
export type PublishResponse = {
  status: number;
  body: { published?: boolean; report?: { version: number; added: number; updated: number; removed: number; passages: number } | null; error?: { code: string; message: string } };
};

export async function loginAdmin(url: string, credentials: { email: string; password: string }, signal: AbortSignal): Promise<string> {
  const response = await fetch(`${url}/api/agent/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(credentials),
    signal,
  });
  const body = (await response.json()) as { token?: string };
  if (!response.ok || !body.token) throw new Error(`admin login failed with HTTP ${response.status}: ${JSON.stringify(body).slice(0, 300)}`);
  return body.token;
}

/** POST /api/admin/knowledge/changes; resolves with the status and body, whatever the status. */
export async function publishChanges(url: string, token: string, payload: { documents: unknown[]; delete?: string[]; force?: boolean }, signal: AbortSignal): Promise<PublishResponse> {
  const response = await fetch(`${url}/api/admin/knowledge/changes`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ delete: [], force: true, ...payload }),
    signal,
  });
  return { status: response.status, body: (await response.json()) as PublishResponse["body"] };
}
