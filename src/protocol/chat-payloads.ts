import { z } from "zod";

/** Inbound payloads of the shopper namespace. Every one is parsed here before domain code sees it. */
export const locale = z.enum(["en", "zh"]);
export type Locale = z.infer<typeof locale>;

/** The handshake's `auth` on /chat: the client's language, for refusals (a wrong or missing one: English). */
export const chatHandshakeAuth = z.object({ locale: locale.optional() });

export const conversationStartPayload = z.strictObject({
  /** Token from an earlier start; omitted to begin a new conversation. */
  resumeToken: z.string().min(16).max(128).optional(),
  /** Highest seq the client has seen; events after it are replayed. */
  lastSeq: z.number().int().min(0).optional(),
  /** The product page the shopper is on (SKU), if any. */
  productId: z.string().min(1).max(128).nullable().optional(),
  locale: locale.optional(),
});
export type ConversationStartPayload = z.infer<typeof conversationStartPayload>;

export const messageSendPayload = z.strictObject({
  /** Client-generated id; sending the same id again never creates a second message. */
  clientId: z.string().min(1).max(64),
  /** Length is checked against the configured limit by the service, with a clear error. */
  text: z.string(),
});
export type MessageSendPayload = z.infer<typeof messageSendPayload>;

export const typingPayload = z.strictObject({ isTyping: z.boolean() });
export type TypingPayload = z.infer<typeof typingPayload>;

export const pageViewPayload = z.strictObject({ productId: z.string().min(1).max(128).nullable() });
export type PageViewPayload = z.infer<typeof pageViewPayload>;

/** Contact details a shopper leaves when no agent can answer now. At least one way to reach them. */
export const contactLeavePayload = z
  .strictObject({
    name: z.string().trim().max(100).optional(),
    email: z.email().max(200).optional(),
    phone: z.string().trim().regex(/^[+\d][\d\s()-]{5,24}$/, "not a phone number").optional(),
    message: z.string().trim().max(2000).optional(),
  })
  .refine((contact) => contact.email || contact.phone, { message: "leave an email or a phone number" });
export type ContactLeavePayload = z.infer<typeof contactLeavePayload>;

/** A shopper's thumbs up or down on one bot answer; rating again replaces the earlier rating. */
export const answerFeedbackPayload = z.strictObject({
  answerId: z.string().min(1).max(64),
  rating: z.enum(["up", "down"]),
});
export type AnswerFeedbackPayload = z.infer<typeof answerFeedbackPayload>;
