import type { ShopperLimitSettings } from "../config.ts";
import { AppError, refusal } from "../errors.ts";
import type { Locale } from "../protocol/chat-payloads.ts";
import { tryConsume, type LimiterFactory } from "./limiters.ts";

/** Every limit Kefu enforces, as it is named in errors and in the kefu_limits_hit_total metric. */
export const LIMIT_NAMES = [
  "sockets-per-ip",
  "connections-per-ip",
  "conversations-per-ip",
  "messages-per-conversation",
  "messages-per-ip",
  "events-per-ip",
  "events-per-conversation",
  "contacts-per-conversation",
  "answers-per-minute",
  "llm-tokens-per-day",
  "refusals-per-connection",
] as const;
export type LimitName = (typeof LIMIT_NAMES)[number];

/** Told each time a limit refuses something (metrics). */
export type LimitRecorder = { limitHit(name: LimitName): void };

/** The shopper events the gateway hands to the limits; a resume is a start with a resume token. */
export type ShopperEventKind = "conversation-start" | "conversation-resume" | "message-send" | "contact-leave" | "answer-feedback" | "page-view" | "typing";

type WindowName = Exclude<LimitName, "answers-per-minute" | "llm-tokens-per-day" | "sockets-per-ip" | "connections-per-ip" | "refusals-per-connection">;
type Window = { name: WindowName; scope: "ip" | "conversation" };

/** Which windows each event takes a point from; every event also counts against events-per-ip. */
const WINDOWS: Record<ShopperEventKind, readonly Window[]> = {
  "conversation-start": [{ name: "conversations-per-ip", scope: "ip" }],
  "conversation-resume": [],
  "message-send": [{ name: "messages-per-ip", scope: "ip" }, { name: "messages-per-conversation", scope: "conversation" }],
  "contact-leave": [{ name: "contacts-per-conversation", scope: "conversation" }],
  "answer-feedback": [{ name: "events-per-conversation", scope: "conversation" }],
  "page-view": [{ name: "events-per-conversation", scope: "conversation" }],
  typing: [{ name: "events-per-conversation", scope: "conversation" }],
};

/** What a refused client is told, in its language (the handshake's auth.locale; English without one). */
const MESSAGES: Partial<Record<LimitName, Record<Locale, string>>> = {
  "sockets-per-ip": {
    en: "Too many open connections from your network. Close another chat window and try again.",
    zh: "您的网络打开的聊天连接过多。请关闭其他聊天窗口后再试。",
  },
  "connections-per-ip": {
    en: "Too many new connections from your network. Please wait a moment; the chat reconnects by itself.",
    zh: "您的网络新建连接过于频繁。请稍候，聊天会自动重新连接。",
  },
  "conversations-per-ip": {
    en: "Too many new conversations from your network. Please wait a moment and try again.",
    zh: "您的网络新建会话过于频繁。请稍候再试。",
  },
  "messages-per-conversation": {
    en: "You are sending messages too quickly. Please wait a moment and try again.",
    zh: "您发送消息太频繁了。请稍候再试。",
  },
  "messages-per-ip": {
    en: "Too many messages from your network. Please wait a moment and try again.",
    zh: "您的网络发送的消息过多。请稍候再试。",
  },
  "contacts-per-conversation": {
    en: "You have already left your details several times. We will get back to you.",
    zh: "您已多次留下联系方式，我们会尽快联系您。",
  },
  "refusals-per-connection": {
    en: "Too many requests after being asked to wait: this connection is closed. Please wait a minute before trying again.",
    zh: "请求过于频繁，此连接已关闭。请等待一分钟后再试。",
  },
};
const DEFAULT_MESSAGE: Record<Locale, string> = {
  en: "Too many requests. Please wait a moment and try again.",
  zh: "请求过于频繁，请稍候再试。",
};

/**
 * Per-IP and per-conversation budgets for everything a shopper's client can send, refused with
 * RATE_LIMITED (details: limit, retryAfterSeconds) so the client can wait and retry; nothing
 * accepted is lost, and other clients are not affected. IP means the address behind trusted
 * proxies (see client-address.ts).
 */
export class ShopperLimits {
  readonly #windows: Record<WindowName, ReturnType<LimiterFactory>>;
  readonly #sockets: ReturnType<LimiterFactory>;
  readonly #connections: ReturnType<LimiterFactory>;
  readonly #recorder: LimitRecorder | undefined;

  constructor(settings: ShopperLimitSettings, limiter: LimiterFactory, recorder?: LimitRecorder) {
    this.#recorder = recorder;
    this.#sockets = limiter("sockets-per-ip", settings.socketsPerIp, 0);
    this.#connections = limiter("connections-per-ip", settings.connectionsPerIpPerMinute, 60);
    this.#windows = {
      "conversations-per-ip": limiter("conversations-per-ip", settings.conversationsPerIpPerMinute, 60),
      "messages-per-ip": limiter("messages-per-ip", settings.messagesPerIpPerMinute, 60),
      "messages-per-conversation": limiter("messages-per-conversation", settings.messagesPerConversationPerMinute, 60),
      "events-per-ip": limiter("events-per-ip", settings.eventsPerIpPerMinute, 60),
      "events-per-conversation": limiter("events-per-conversation", settings.eventsPerConversationPerMinute, 60),
      "contacts-per-conversation": limiter("contacts-per-conversation", settings.contactsPerConversationPerHour, 3600),
    };
  }

  /**
   * Count a new socket from `ip`, both as one opened this minute (however soon it closes again: a
   * connect-and-disconnect loop is refused once the minute's budget is spent) and as one open; the
   * returned function un-counts it as open when it closes. `locale`: the language of a refusal.
   */
  async admitSocket(ip: string, locale: Locale = "en"): Promise<() => void> {
    const waitMs = await tryConsume(this.#connections, ip);
    if (waitMs > 0) throw this.refuse("connections-per-ip", waitMs, locale);
    if ((await tryConsume(this.#sockets, ip)) > 0) {
      // A refused consume still counts; this is a count of open sockets, so take it back.
      await this.#sockets.reward(ip, 1);
      throw this.refuse("sockets-per-ip", 5_000, locale);
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      void this.#sockets.reward(ip, 1).catch(() => undefined);
    };
  }

  /** Take this event's points from its IP and conversation; RATE_LIMITED when a budget is spent. */
  async take(kind: ShopperEventKind, ip: string, conversationId: string | undefined, locale: Locale = "en"): Promise<void> {
    for (const window of [{ name: "events-per-ip", scope: "ip" } as const, ...WINDOWS[kind]]) {
      const key = window.scope === "ip" ? ip : conversationId;
      if (key === undefined) continue;
      const waitMs = await tryConsume(this.#windows[window.name], key);
      if (waitMs > 0) throw this.refuse(window.name, waitMs, locale);
    }
  }

  /** The RATE_LIMITED error for `name` (counted as a hit), asking the client to wait `waitMs`. */
  refuse(name: LimitName, waitMs: number, locale: Locale = "en"): AppError {
    this.#recorder?.limitHit(name);
    return refusal("RATE_LIMITED", (MESSAGES[name] ?? DEFAULT_MESSAGE)[locale], {
      details: { limit: name, retryAfterSeconds: Math.ceil(waitMs / 1000) },
    });
  }
}
