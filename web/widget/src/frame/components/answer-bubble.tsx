import type { Citation } from "../../../../../src/protocol/conversation-events.ts";
import type { Rating } from "../ratings.ts";
import type { Strings } from "../i18n.ts";
import type { TimelineItem } from "../timeline.ts";
import { LinkIcon, ThumbDownIcon, ThumbUpIcon } from "./icons.tsx";
import { ComparisonTable, ProductCards } from "./product-cards.tsx";

type Props = {
  item: Extract<TimelineItem, { kind: "answer" }>;
  t: Strings;
  rating: Rating | undefined;
  onRate: (answerId: string, rating: Rating) => void;
  onOpenProduct: (answerId: string, sku: string) => Promise<void>;
  /** Where relative knowledge URLs point: the store's own site. */
  linkBase: string;
};

/** A bot answer: streamed text with its [n] markers, the sources it used, and thumbs up/down once done. */
export function AnswerBubble({ item, t, rating, onRate, onOpenProduct, linkBase }: Props) {
  const streaming = item.status === "streaming";
  const note = item.status === "stopped" ? t.answerStopped : item.status === "failed" || item.status === "interrupted" ? t.answerCut : null;
  return (
    <li class={`row bot${streaming ? " streaming" : ""}`} data-kind="answer" data-answer-id={item.answerId} data-status={item.status}>
      <span class="sr-only">{t.bot}: </span>
      <div class={`bubble${note ? " dim" : ""}`} aria-busy={streaming ? "true" : "false"}>
        <p class="text" dir="auto">{withMarkers(item.text)}</p>
        {note && <p class="note">{note}</p>}
        {item.comparison && !streaming && <ComparisonTable comparison={item.comparison} cards={item.products} t={t} />}
        {item.products.length > 0 && !streaming && <ProductCards cards={item.products} t={t} linkBase={linkBase} onOpen={(sku) => onOpenProduct(item.answerId, sku)} />}
        {item.citations.length > 0 && !streaming && (
          <div class="sources">
            <p class="sources-title">{t.sources}</p>
            <ol>
              {item.citations.map((citation, index) => (
                <li key={citation.passageId}>
                  <span class="source-marker" aria-hidden="true">{citation.marker ?? index + 1}</span>
                  <SourceLink citation={citation} t={t} linkBase={linkBase} />
                </li>
              ))}
            </ol>
          </div>
        )}
      </div>
      {item.status === "complete" && (
        <div class="feedback" role="group" aria-label={rating ? t.thanks : `${t.helpful} / ${t.notHelpful}`}>
          <button type="button" class="icon-button" aria-label={t.helpful} title={t.helpful} aria-pressed={rating === "up" ? "true" : "false"} onClick={() => onRate(item.answerId, "up")}>
            <ThumbUpIcon />
          </button>
          <button type="button" class="icon-button" aria-label={t.notHelpful} title={t.notHelpful} aria-pressed={rating === "down" ? "true" : "false"} onClick={() => onRate(item.answerId, "down")}>
            <ThumbDownIcon />
          </button>
          {rating && <span class="thanks">{t.thanks}</span>}
        </div>
      )}
    </li>
  );
}

function SourceLink({ citation, t, linkBase }: { citation: Citation; t: Strings; linkBase: string }) {
  const kind = citation.kind === "product" ? t.product : t.faq;
  const href = safeUrl(citation.url, linkBase);
  const label = (
    <>
      <span class="source-kind">{kind}</span>
      <span class="source-title" dir="auto">{citation.title}</span>
    </>
  );
  if (!href) return <span class="source">{label}</span>;
  // Links into the store open in the store's own tab (the chat follows the shopper there); others in a new one.
  const sameSite = new URL(href).origin === new URL(linkBase).origin;
  return (
    <a class="source" href={href} target={sameSite ? "_top" : "_blank"} rel={sameSite ? undefined : "noopener noreferrer"}>
      {label}
      <LinkIcon />
    </a>
  );
}

/** Knowledge URLs may be relative to the store; only http(s) links are ever made. */
export function safeUrl(url: string | null, base: string): string | null {
  if (!url) return null;
  try {
    const resolved = new URL(url, base);
    return resolved.protocol === "https:" || resolved.protocol === "http:" ? resolved.href : null;
  } catch {
    return null;
  }
}

/** "[1]" markers in the answer text as small superscript numbers. */
function withMarkers(text: string) {
  const parts = text.split(/(\[\d{1,2}\])/g);
  return parts.map((part, index) => {
    const marker = /^\[(\d{1,2})\]$/.exec(part);
    if (marker) return <sup key={index} class="marker">{marker[1]}</sup>;
    // "230 °C [1]." reads as "230 °C¹." : the space before a marker goes.
    return index < parts.length - 1 ? part.replace(/[ \t]+$/, "") : part;
  });
}
