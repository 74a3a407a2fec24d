import type { Namespace, Socket } from "socket.io";
import type { ConversationService } from "../conversations/conversation-service.ts";
import type { EventHub } from "../conversations/event-hub.ts";
import { AppError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import { answerFeedbackPayload, contactLeavePayload, conversationStartPayload, messageSendPayload, pageViewPayload, typingPayload } from "../protocol/chat-payloads.ts";
import type { ChatClientEvents, ChatServerEvents, ConversationStarted } from "../protocol/chat-events.ts";
import { recommendationClickPayload, suggestionsPayload } from "../protocol/shopping.ts";
import { handle } from "../realtime/handle-event.ts";
import type { ShoppingAssistant } from "../shopping/shopping-assistant.ts";

type SocketData = { conversationId?: string };
export type ChatNamespace = Namespace<ChatClientEvents, ChatServerEvents, Record<string, never>, SocketData>;
type ChatSocket = Socket<ChatClientEvents, ChatServerEvents, Record<string, never>, SocketData>;

export const conversationRoom = (conversationId: string) => `conversation:${conversationId}`;

/** The shopper namespace: translate socket events to the conversation service and its events back to rooms. */
export function registerChatGateway(namespace: ChatNamespace, deps: { service: ConversationService; hub: EventHub; logger: Logger; shopping: ShoppingAssistant }): void {
  const { service, hub, logger, shopping } = deps;

  hub.on("event", (event) => {
    namespace.to(conversationRoom(event.conversationId)).emit("conversation-event", event);
  });
  hub.on("typing", ({ conversationId, author, isTyping }) => {
    if (author !== "shopper") namespace.to(conversationRoom(conversationId)).emit("typing", { conversationId, author, isTyping });
  });

  namespace.on("connection", (socket: ChatSocket) => {
    const requireConversation = () => {
      const id = socket.data.conversationId;
      if (!id) throw new AppError("INVALID_STATE", "Start or resume a conversation first (conversation-start).");
      return id;
    };

    socket.on(
      "conversation-start",
      handle(logger, "conversation-start", conversationStartPayload, async (payload): Promise<ConversationStarted> => {
        const started = await service.start(payload);
        const previous = socket.data.conversationId;
        if (previous && previous !== started.conversation.id) await socket.leave(conversationRoom(previous));
        socket.data.conversationId = started.conversation.id;
        await socket.join(conversationRoom(started.conversation.id));
        return {
          conversationId: started.conversation.id,
          resumeToken: started.resumeToken,
          state: started.conversation.state,
          events: started.events,
          lastSeq: started.events.at(-1)?.seq ?? started.conversation.lastSeq,
        };
      }),
    );

    socket.on(
      "message-send",
      handle(logger, "message-send", messageSendPayload, (payload) => service.sendMessage(requireConversation(), payload)),
    );

    socket.on(
      "page-view",
      handle(logger, "page-view", pageViewPayload, async (payload) => {
        await service.setPage(requireConversation(), payload.productId);
        return null;
      }),
    );

    socket.on(
      "contact-leave",
      handle(logger, "contact-leave", contactLeavePayload, (payload) => service.leaveContact(requireConversation(), payload)),
    );

    socket.on(
      "answer-feedback",
      handle(logger, "answer-feedback", answerFeedbackPayload, (payload) => service.rateAnswer(requireConversation(), payload)),
    );

    socket.on(
      "suggestions-get",
      handle(logger, "suggestions-get", suggestionsPayload, async (payload) => ({ suggestions: await shopping.suggestions(payload.productId, payload.locale) })),
    );

    socket.on(
      "recommendation-click",
      handle(logger, "recommendation-click", recommendationClickPayload, (payload) => {
        requireConversation();
        return shopping.clicked(payload.answerId, payload.sku);
      }),
    );

    socket.on(
      "typing",
      handle(logger, "typing", typingPayload, async (payload) => {
        service.typing(requireConversation(), payload.isTyping);
        return null;
      }),
    );
  });
}
