import { io, type Socket } from "socket.io-client";
import type { Ack } from "../../src/protocol/ack.ts";
import type { ChatClientEvents, ChatServerEvents } from "../../src/protocol/chat-events.ts";

/** The hostile bench's clients: what one hostile address does, and how each attempt ended. */
export type ChatSocket = Socket<ChatServerEvents, ChatClientEvents>;
/** Outcomes by kind: "ok", or the error code with the limit that refused it. */
export type Tally = Map<string, number>;

export const ACK_TIMEOUT_MS = 10_000;

/** A socket on /chat, its outcome counted; null when refused. `ip`: X-Forwarded-For (the bench's own address without). */
export async function openSocket(url: string, outcomes: Tally, ip?: string): Promise<ChatSocket | null> {
  const socket: ChatSocket = io(`${url}/chat`, { transports: ["websocket"], reconnection: false, forceNew: true, ...(ip ? { extraHeaders: { "x-forwarded-for": ip } } : {}) });
  const outcome = await new Promise<string>((resolve) => {
    socket.once("connect", () => resolve("ok"));
    socket.once("connect_error", (error: Error & { data?: { code?: string; details?: { limit?: string } } }) => resolve(describe(error.data ?? { code: error.message })));
  });
  count(outcomes, outcome);
  if (outcome === "ok") return socket;
  socket.close();
  return null;
}

/**
 * A new conversation and a question per round trip, as fast as acks come back, ignoring refusals;
 * when the server closes the socket, another at once.
 */
export async function flood(first: ChatSocket, reopen: () => Promise<ChatSocket | null>, running: () => boolean, starts: Tally, messages: Tally): Promise<void> {
  let round = 0;
  let socket: ChatSocket | null = first;
  while (running()) {
    if (!socket?.connected) {
      socket = await reopen();
      continue;
    }
    count(starts, outcomeOf(await ack(socket, "conversation-start", { locale: "en" })));
    if (!socket.connected) continue;
    count(messages, outcomeOf(await ack(socket, "message-send", { clientId: `${socket.id}-${round++}`, text: "How long does delivery take?" })));
  }
}

/** Contacts with a 1.9 KB message; a new conversation when this one takes no more. */
export async function leaveContacts(socket: ChatSocket, running: () => boolean, starts: Tally, contacts: Tally): Promise<void> {
  const message = "Please call me back about my order. ".repeat(53);
  let needConversation = true;
  while (running() && socket.connected) {
    if (needConversation) {
      const started = outcomeOf(await ack(socket, "conversation-start", { locale: "en" }));
      count(starts, started);
      needConversation = started !== "ok";
      if (needConversation) continue;
    }
    const outcome = outcomeOf(await ack(socket, "contact-leave", { email: "flood@example.com", phone: "+86 138 0000 0000", message }));
    count(contacts, outcome);
    if (outcome.includes("contacts-per-conversation")) needConversation = true;
  }
}

/** Connect and disconnect in a loop, as fast as the server answers: a handshake per round, never many open. */
export async function churn(url: string, running: () => boolean, outcomes: Tally): Promise<void> {
  while (running()) (await openSocket(url, outcomes))?.close();
}

export async function loginFlood(url: string, adminEmail: string, index: number, running: () => boolean, statuses: Tally): Promise<void> {
  for (let attempt = 0; running(); attempt += 1) {
    const email = attempt % 2 === 0 ? adminEmail : `guess${index}-${attempt}@hostile.test`;
    try {
      const response = await fetch(`${url}/api/agent/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password: `wrong-${attempt}` }), signal: AbortSignal.timeout(ACK_TIMEOUT_MS) });
      await response.arrayBuffer();
      count(statuses, `HTTP ${response.status}`);
    } catch {
      count(statuses, "failed");
    }
  }
}

export async function ack(socket: ChatSocket, event: "conversation-start" | "message-send" | "contact-leave", payload: unknown): Promise<Ack<unknown> | null> {
  try {
    return await (socket.timeout(ACK_TIMEOUT_MS) as unknown as { emitWithAck(name: string, body: unknown): Promise<Ack<unknown>> }).emitWithAck(event, payload);
  } catch {
    return null;
  }
}

function outcomeOf(response: Ack<unknown> | null): string {
  if (response === null) return "no ack";
  return response.ok ? "ok" : describe(response.error as { code?: string; details?: { limit?: string } });
}

function describe(error: { code?: string; details?: { limit?: string } | Record<string, unknown> }): string {
  const limit = (error.details as { limit?: string } | undefined)?.limit;
  return limit ? `${error.code} ${limit}` : String(error.code);
}

export function count(tally: Tally, key: string): void {
  tally.set(key, (tally.get(key) ?? 0) + 1);
}

export function tallyText(tally: Tally): string {
  const total = [...tally.values()].reduce((sum, value) => sum + value, 0);
  return `${total} tried: ${[...tally].sort((a, b) => b[1] - a[1]).map(([key, value]) => `${key} ${value}`).join(", ") || "none"}`;
}
