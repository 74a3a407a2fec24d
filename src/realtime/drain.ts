import type { Server } from "socket.io";

/** How long clients are asked to wait before reconnecting, so a restarting node or a peer can take them. */
export const RECONNECT_AFTER_MS = 1_000;

/**
 * Start a rolling-deploy drain: every client is told `server-draining` and asked to reconnect
 * (it resumes with its token and last seq wherever it lands). Connections are closed at the
 * transport, which socket.io clients answer by reconnecting on their own; shopper connections
 * whose conversation has an answer in progress stay until the server closes, so they see it end.
 */
export function announceDrain(io: Server, answering: (conversationId: string) => boolean): void {
  for (const name of ["/chat", "/agent"]) {
    const namespace = io.of(name);
    namespace.emit("server-draining", { reconnectAfterMs: RECONNECT_AFTER_MS });
    for (const socket of namespace.sockets.values()) {
      const conversationId = (socket.data as { conversationId?: string } | undefined)?.conversationId;
      if (name === "/chat" && conversationId && answering(conversationId)) continue;
      socket.conn.close();
    }
  }
}
