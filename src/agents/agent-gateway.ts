import type { Namespace, Socket } from "socket.io";
import { handle } from "../realtime/handle-event.ts";
import type { AgentAvailability } from "../conversations/agent-availability.ts";
import type { Coordination } from "../coordination/coordination.ts";
import type { EventHub } from "../conversations/event-hub.ts";
import { AppError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import type { AgentClientEvents, AgentProfile, AgentServerEvents } from "../protocol/agent-events.ts";
import { agentReplyPayload, agentTypingPayload, conversationListPayload, conversationRef, conversationWatchPayload, notePayload, presencePayload } from "../protocol/agent-payloads.ts";
import { hashToken } from "../tokens.ts";
import type { AgentAuth } from "./agent-auth.ts";
import type { AgentDesk } from "./agent-desk.ts";
import { handshakeCredentials, socketToken, type HandshakeCredentials } from "./handshake-credentials.ts";

type SocketData = { agent: AgentProfile; token: string; tokenHash: string; online: boolean; remainingMs: number };
export type AgentNamespace = Namespace<AgentClientEvents, AgentServerEvents, Record<string, never>, SocketData>;
type AgentSocket = Socket<AgentClientEvents, AgentServerEvents, Record<string, never>, SocketData>;

const AGENTS_ROOM = "agents";
/**
 * How often an open socket's session is checked again even before it expires: catches revocation,
 * disabling or a password change made by another process (the CLI, another node).
 */
const RECHECK_MS = 60_000;
const watchRoom = (conversationId: string) => `watch:${conversationId}`;
/** Changes to one conversation within this time send agents one summary. */
const SUMMARY_BATCH_MS = 50;

/**
 * The /agent namespace: only authenticated agents connect (by the session cookie from the
 * dashboard's own origin, or a token), and the session is checked again on every action, so a
 * revoked or expired session stops working at once.
 */
export function registerAgentGateway(
  namespace: AgentNamespace,
  deps: {
    auth: AgentAuth;
    desk: AgentDesk;
    hub: EventHub;
    availability: AgentAvailability;
    coordination: Coordination;
    logger: Logger;
    /** The handshake's credentials, when its request has been dropped (else read from socket.handshake). */
    credentialsOf?: (socket: AgentSocket) => HandshakeCredentials | undefined;
    /** PUBLIC_URL: its origin counts as the server's own for cookie-authenticated sockets. */
    publicUrl?: string | undefined;
  },
): void {
  const { auth, desk, hub, availability, coordination, logger } = deps;

  const publicHost = deps.publicUrl ? new URL(deps.publicUrl).host.toLowerCase() : undefined;
  const credentialsOf = deps.credentialsOf ?? ((socket: AgentSocket) => handshakeCredentials(socket.handshake.headers));
  const refusal = (code: "UNAUTHORIZED" | "FORBIDDEN", message: string) => Object.assign(new Error(code), { data: { code, message } });
  namespace.use((socket, next) => {
    const found = socketToken((socket.handshake.auth as { token?: unknown }).token, credentialsOf(socket), publicHost);
    if (found && "refused" in found) return next(refusal("FORBIDDEN", "Cross-site connection refused: connect from the dashboard's own origin, or send the session token in auth."));
    const token = found?.token;
    auth.session(token).then(
      (session) => {
        if (!session || !token) return next(refusal("UNAUTHORIZED", "Log in first."));
        socket.data = { agent: session.agent, token, tokenHash: hashToken(token), online: false, remainingMs: session.remainingMs };
        next();
      },
      (error: unknown) => next(error instanceof Error ? error : new Error(String(error))),
    );
  });

  // Agents get each new event of the conversations they watch (a delta of the conversation, never
  // a reload of it) and, for the live list, the conversation's one-row summary, read at most once
  // per SUMMARY_BATCH_MS per conversation however many events arrive. On a single server, a room
  // nobody is in costs nothing: no summary is read and no packet encoded (an agent who connects
  // lists the conversations first). With several, the adapter knows the other servers' rooms.
  const anyoneIn = (room: string) => coordination.distributed || (namespace.adapter.rooms.get(room)?.size ?? 0) > 0;
  const changed = new Map<string, { handoff: boolean }>();
  const sendSummary = (conversationId: string) => {
    const { handoff } = changed.get(conversationId)!;
    changed.delete(conversationId);
    desk
      .summary(conversationId)
      .then((summary) => {
        namespace.to(AGENTS_ROOM).emit("conversation-updated", summary);
        if (handoff) namespace.to(AGENTS_ROOM).emit("handoff-new", summary);
      })
      .catch((error: unknown) => logger.warn({ err: error }, "conversation summary failed"));
  };
  hub.on("event", (event) => {
    if (anyoneIn(watchRoom(event.conversationId))) namespace.to(watchRoom(event.conversationId)).emit("conversation-event", event);
    if (event.type === "answer-start" || !anyoneIn(AGENTS_ROOM)) return;
    const handoff = event.type === "state-changed" && event.state === "waiting";
    const pending = changed.get(event.conversationId);
    if (pending) pending.handoff ||= handoff;
    else {
      changed.set(event.conversationId, { handoff });
      setTimeout(sendSummary, SUMMARY_BATCH_MS, event.conversationId);
    }
  });
  hub.on("delta", (delta) => {
    if (anyoneIn(watchRoom(delta.conversationId))) namespace.to(watchRoom(delta.conversationId)).emit("answer-delta", delta);
  });
  hub.on("typing", (signal) => {
    if (signal.author !== "agent" && anyoneIn(watchRoom(signal.conversationId))) namespace.to(watchRoom(signal.conversationId)).emit("typing", signal);
  });
  hub.on("note", (note) => {
    namespace.to(watchRoom(note.conversationId)).emit("note-added", note);
  });

  // A session ended on one server ends at once on every server its sockets are connected to.
  auth.onSessionsEnded = (match, reason) => void coordination.broadcast({ type: "sessions-ended", match, reason });
  coordination.onSignal((signal) => {
    if (signal.type !== "sessions-ended") return;
    const { match, reason } = signal;
    for (const socket of namespace.sockets.values()) {
      if ((match.tokenHash && socket.data.tokenHash === match.tokenHash) || (match.agentId && socket.data.agent.id === match.agentId)) endSession(socket, reason);
    }
  });

  namespace.on("connection", (socket: AgentSocket) => {
    const setOnline = (online: boolean) => {
      if (online === socket.data.online) return;
      socket.data.online = online;
      if (online) availability.agentOnline(socket.data.agent.id);
      else availability.agentOffline(socket.data.agent.id);
    };
    void socket.join([AGENTS_ROOM, `agent:${socket.data.agent.id}`]);
    setOnline(true);
    // The session's end is enforced on the open socket too, not only on its next action (see RECHECK_MS).
    let expiry: NodeJS.Timeout;
    const watchExpiry = (remainingMs: number) => {
      expiry = setTimeout(() => {
        auth.session(socket.data.token).then(
          (session) => (session ? watchExpiry(session.remainingMs) : endSession(socket, "expired")),
          (error: unknown) => logger.warn({ err: error }, "session check failed"),
        );
      }, Math.min(Math.max(remainingMs, 0) + 50, RECHECK_MS));
      expiry.unref();
    };
    watchExpiry(socket.data.remainingMs);
    socket.on("disconnect", () => {
      clearTimeout(expiry);
      setOnline(false);
    });

    /** The agent, with the session checked again: it may have been revoked or have expired. */
    const agent = async (): Promise<AgentProfile> => {
      const current = await auth.authenticate(socket.data.token);
      if (!current) {
        setImmediate(() => endSession(socket, "expired"));
        throw new AppError("UNAUTHORIZED", "Your session has ended. Log in again.");
      }
      return current;
    };

    socket.on("conversation-list", handle(logger, "conversation-list", conversationListPayload, async (query) => desk.list(await agent(), query)));
    socket.on(
      "conversation-watch",
      handle(logger, "conversation-watch", conversationWatchPayload, async ({ conversationId, afterSeq }) => {
        await agent();
        // Joined before reading, so live events overlap the reply instead of leaving a gap.
        await socket.join(watchRoom(conversationId));
        return desk.detail(conversationId, afterSeq);
      }),
    );
    socket.on(
      "conversation-unwatch",
      handle(logger, "conversation-unwatch", conversationRef, async ({ conversationId }) => {
        await socket.leave(watchRoom(conversationId));
        return null;
      }),
    );
    socket.on("conversation-take-over", handle(logger, "conversation-take-over", conversationRef, async ({ conversationId }) => desk.takeOver(conversationId, await agent())));
    socket.on("agent-reply", handle(logger, "agent-reply", agentReplyPayload, async ({ conversationId, clientId, text }) => desk.reply(conversationId, await agent(), { clientId, text })));
    socket.on("note-add", handle(logger, "note-add", notePayload, async ({ conversationId, text }) => desk.addNote(conversationId, await agent(), text)));
    socket.on("conversation-hand-back", handle(logger, "conversation-hand-back", conversationRef, async ({ conversationId }) => desk.handBack(conversationId, await agent())));
    socket.on("conversation-close", handle(logger, "conversation-close", conversationRef, async ({ conversationId }) => desk.close(conversationId, await agent())));
    socket.on(
      "presence-set",
      handle(logger, "presence-set", presencePayload, async ({ status }) => {
        await agent();
        setOnline(status === "online");
        return { onlineAgents: availability.onlineAgents };
      }),
    );
    socket.on(
      "typing",
      handle(logger, "typing", agentTypingPayload, async ({ conversationId, isTyping }) => {
        await agent();
        hub.emit("typing", { conversationId, author: "agent", isTyping });
        return null;
      }),
    );
  });
}

/** Tell the dashboard why, then close the socket: it receives nothing more. */
function endSession(socket: AgentSocket, reason: string): void {
  if (!socket.connected) return;
  socket.emit("session-ended", { reason });
  socket.disconnect(true);
}
