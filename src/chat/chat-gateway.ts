import type { Namespace, Socket } from "socket.io";
import type { ConversationService } from "../conversations/conversation-service.ts";
import type { EventHub } from "../conversations/event-hub.ts";
import { AppError, toAppError } from "../errors.ts";
import type { ChatGate } from "../limits/chat-gate.ts";
import type { Logger } from "../logger.ts";
import { answerFeedbackPayload, chatHandshakeAuth, contactLeavePayload, conversationStartPayload, messageSendPayload, pageViewPayload, typingPayload } from "../protocol/chat-payloads.ts";
import type { ChatClientEvents, ChatServerEvents, ConversationStarted } from "../protocol/chat-events.ts";
import type { ShopperEventKind } from "../limits/shopper-limits.ts";
import { recommendationClickPayload, suggestionsPayload } from "../protocol/shopping.ts";
import { handle } from "../realtime/handle-event.ts";
import type { ShoppingAssistant } from "../shopping/shopping-assistant.ts";

type SocketData = { conversationId?: string };
export type ChatNamespace = Namespace<ChatClientEvents, ChatServerEvents, Record<string, never>, SocketData>;
type ChatSocket = Socket<ChatClientEvents, ChatServerEvents, Record<string, never>, SocketData>;

export const conversationRoom = (conversationId: string) => `conversation:${conversationId}`;

/** The language the client asked for in its handshake, for the refusals it may get. */
const localeOf = (socket: ChatSocket) => chatHandshakeAuth.safeParse(socket.handshake.auth).data?.locale;

/** The shopper namespace: translate socket events to the conversation service and its events back to rooms. */
export function registerChatGateway(
  namespace: ChatNamespace,
  deps: { service: ConversationService; hub: EventHub; gate: ChatGate; addressOf: (socket: ChatSocket) => string; shopping: ShoppingAssistant; logger: Logger },
): void {
  const { service, hub, gate, shopping, logger } = deps;

  namespace.use((socket, next) => {
    gate.admit(deps.addressOf(socket), localeOf(socket)).then(
      (release) => {
        // A connection that closed while it was being admitted never emits disconnect: release it now.
        if (socket.conn.readyState !== "open") {
          release();
          return next(new Error("connection closed"));
        }
        socket.once("disconnect", release);
        next();
      },
      (error: unknown) => {
        const { code, message, details } = toAppError(error);
        next(Object.assign(new Error(code), { data: { code, message, details } }));
      },
    );
  });

  hub.on("event", (event) => {
    namespace.to(conversationRoom(event.conversationId)).emit("conversation-event", event);
  });
  hub.on("delta", (delta) => {
    namespace.to(conversationRoom(delta.conversationId)).emit("answer-delta", delta);
  });
  hub.on("typing", ({ conversationId, author, isTyping }) => {
    if (author !== "shopper") namespace.to(conversationRoom(conversationId)).emit("typing", { conversationId, author, isTyping });
  });

  namespace.on("connection", (socket: ChatSocket) => {
    const ip = deps.addressOf(socket);
    const client = { disconnect: (close: boolean) => socket.disconnect(close), locale: localeOf(socket) };
    /** Every handler runs under the limits of its IP and conversation. */
    const limited = <P, T>(kind: ShopperEventKind | ((payload: P) => ShopperEventKind), work: (payload: P) => Promise<T>) => (payload: P) =>
      gate.run(typeof kind === "function" ? kind(payload) : kind, ip, socket.data.conversationId, () => work(payload), client);
    const requireConversation = () => {
      const id = socket.data.conversationId;
      if (!id) throw new AppError("INVALID_STATE", "Start or resume a conversation first (conversation-start).");
      return id;
    };

    socket.on(
      "conversation-start",
      handle(logger, "conversation-start", conversationStartPayload, limited((payload) => (payload.resumeToken ? "conversation-resume" : "conversation-start"), async (payload): Promise<ConversationStarted> => {
        // Join the conversation's room before its events are read: live events may then repeat
        // what the reply holds, but none falls between the two.
        const started = await service.start(payload, async (conversationId) => {
          const previous = socket.data.conversationId;
          if (previous && previous !== conversationId) await socket.leave(conversationRoom(previous));
          socket.data.conversationId = conversationId;
          await socket.join(conversationRoom(conversationId));
        });
        return {
          conversationId: started.conversation.id,
          resumeToken: started.resumeToken,
          state: started.conversation.state,
          events: started.events,
          lastSeq: started.events.at(-1)?.seq ?? started.conversation.lastSeq,
          streaming: started.streaming,
        };
      })),
    );

    socket.on(
      "message-send",
      handle(logger, "message-send", messageSendPayload, limited("message-send", (payload) => service.sendMessage(requireConversation(), payload))),
    );

    socket.on(
      "page-view",
      handle(logger, "page-view", pageViewPayload, limited("page-view", async (payload) => {
        await service.setPage(requireConversation(), payload.productId);
        return null;
      })),
    );

    socket.on(
      "contact-leave",
      handle(logger, "contact-leave", contactLeavePayload, limited("contact-leave", (payload) => service.leaveContact(requireConversation(), payload))),
    );

    socket.on(
      "answer-feedback",
      handle(logger, "answer-feedback", answerFeedbackPayload, limited("answer-feedback", (payload) => service.rateAnswer(requireConversation(), payload))),
    );

    socket.on(
      "suggestions-get",
      handle(logger, "suggestions-get", suggestionsPayload, limited("page-view", async (payload) => ({ suggestions: await shopping.suggestions(payload.productId, payload.locale) }))),
    );

    socket.on(
      "recommendation-click",
      handle(logger, "recommendation-click", recommendationClickPayload, limited("answer-feedback", (payload) => {
        requireConversation();
        return shopping.clicked(payload.answerId, payload.sku);
      })),
    );

    socket.on(
      "typing",
      handle(logger, "typing", typingPayload, limited("typing", async (payload) => {
        service.typing(requireConversation(), payload.isTyping);
        return null;
      })),
    );
  });
}
