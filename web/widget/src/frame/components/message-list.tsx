import type { Rating } from "../ratings.ts";
import type { Strings } from "../i18n.ts";
import type { TimelineItem } from "../timeline.ts";
import { AnswerBubble } from "./answer-bubble.tsx";
import { AlertIcon } from "./icons.tsx";

type Props = {
  items: readonly TimelineItem[];
  t: Strings;
  ratings: Readonly<Record<string, Rating>>;
  onRate: (answerId: string, rating: Rating) => void;
  onOpenProduct: (answerId: string, sku: string) => Promise<void>;
  onRetry: (clientId: string) => void;
  linkBase: string;
};

/** The conversation, oldest first: who said what is marked by side, colour and a name or label. */
export function MessageList({ items, t, ratings, onRate, onOpenProduct, onRetry, linkBase }: Props) {
  // "Sent" under every message is noise: it shows under the latest one; other states always show.
  const lastShopper = items.findLast((item) => item.kind === "message" && item.author === "shopper")?.key;
  return (
    <>
      {items.map((item) => {
        if (item.kind === "answer") return <AnswerBubble key={item.key} item={item} t={t} rating={ratings[item.answerId]} onRate={onRate} onOpenProduct={onOpenProduct} linkBase={linkBase} />;
        if (item.kind === "notice") {
          return (
            <li key={item.key} class={`row notice tone-${item.tone}`} data-kind="notice">
              <p dir="auto">{item.text}</p>
            </li>
          );
        }
        if (item.kind === "contact") {
          return (
            <li key={item.key} class="row notice tone-info" data-kind="contact">
              <p dir="auto">{item.text}</p>
            </li>
          );
        }
        const who = item.author === "shopper" ? t.you : item.author === "agent" ? (item.name ?? t.agent) : t.bot;
        return (
          <li key={item.key} class={`row ${item.author}`} data-kind="message" data-author={item.author} data-status={item.status} data-client-id={item.clientId ?? undefined}>
            {item.author === "agent" ? (
              <p class="author" aria-hidden="true">
                {who} · {t.agent}
              </p>
            ) : null}
            <span class="sr-only">{who}: </span>
            <div class="bubble">
              <p class="text" dir="auto">{item.text}</p>
            </div>
            {item.author === "shopper" && (item.status !== "sent" || item.key === lastShopper) && <Status status={item.status} error={item.error} t={t} onRetry={() => item.clientId && onRetry(item.clientId)} />}
          </li>
        );
      })}
    </>
  );
}

function Status({ status, error, t, onRetry }: { status: string; error: string | null; t: Strings; onRetry: () => void }) {
  if (status === "failed") {
    return (
      <p class="status failed" role="alert">
        <AlertIcon />
        <span>{error ? `${t.failed}: ${error}` : t.failed}</span>
        <button type="button" class="link-button" onClick={onRetry}>
          {t.retry}
        </button>
      </p>
    );
  }
  const label = status === "queued" ? t.queued : status === "slowed" ? t.slowed : status === "sending" ? t.sending : t.sent;
  return <p class={`status ${status}`}>{label}</p>;
}
