import type { NoticeCode } from "../protocol/conversation-events.ts";

/** What the shopper reads for each notice, in their language. */
const TEXTS: Record<NoticeCode, { en: string; zh: string }> = {
  "handoff-queued": {
    en: "I'm connecting you with a member of our team. They will reply here shortly.",
    zh: "正在为您转接人工客服，请稍候，客服会在这里回复您。",
  },
  "no-agent-online": {
    en: "No one from our team is online right now. Leave your email or phone number and your question, and we will get back to you.",
    zh: "目前没有客服在线。请留下您的邮箱或电话以及您的问题，我们会尽快联系您。",
  },
  "outside-hours": {
    en: "Our team is away now (service hours {hours}). Leave your email or phone number and your question, and we will get back to you.",
    zh: "现在不在人工服务时间（服务时间 {hours}）。请留下您的邮箱或电话以及您的问题，我们会尽快联系您。",
  },
  "llm-unavailable": {
    en: "Sorry, I can't answer right now because of a technical problem.",
    zh: "抱歉，由于技术问题，我暂时无法回答。",
  },
  "bot-budget": {
    en: "Sorry, our assistant is too busy to answer right now.",
    zh: "抱歉，智能助手当前繁忙，暂时无法回答。",
  },
  "conversation-closed": {
    en: "This conversation has been closed. Write again any time and we will pick it up.",
    zh: "本次会话已结束。您随时可以再次留言，我们会继续为您服务。",
  },
  "bot-busy": {
    en: "Many shoppers are asking right now. Your answer is on its way, one moment please.",
    zh: "当前咨询的顾客较多，正在为您准备回答，请稍候。",
  },
  "contact-received": {
    en: "Thank you, we have your details and will get back to you.",
    zh: "谢谢，我们已收到您的联系方式，会尽快与您联系。",
  },
};

export function noticeText(code: NoticeCode, language: "zh" | "en", values: Record<string, string> = {}): string {
  return TEXTS[code][language].replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? "");
}
