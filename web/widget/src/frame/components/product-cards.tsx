import type { ProductCard, ProductComparison } from "../../../../../src/protocol/shopping.ts";
import type { Strings } from "../i18n.ts";
import { safeUrl } from "./answer-bubble.tsx";

/** Recommended products as cards: name, price, a "New" badge, why it is shown, and a link to its page. */
export function ProductCards({ cards, t, linkBase, onOpen }: { cards: ProductCard[]; t: Strings; linkBase: string; onOpen: (sku: string) => Promise<void> }) {
  return (
    <ul class="cards" aria-label={t.productsLabel}>
      {cards.map((card) => {
        const href = safeUrl(card.url, linkBase);
        const sameSite = href ? new URL(href).origin === new URL(linkBase).origin : true;
        return (
          <li key={card.sku} class={`card fit-${card.fit}`} data-sku={card.sku}>
            <p class="card-badges">
              {card.isNew && <span class="badge new">{t.newBadge}</span>}
              {card.fit === "closest" && <span class="badge closest">{t.closest}</span>}
            </p>
            <p class="card-name" dir="auto" title={card.name}>{card.name}</p>
            <p class="card-price">{card.priceText}</p>
            <p class="card-reason" dir="auto">{card.reason}</p>
            {href && (
              <a class="card-link" href={href} target={sameSite ? "_top" : "_blank"} rel={sameSite ? undefined : "noopener noreferrer"} onClick={(event) => follow(event, () => onOpen(card.sku))}>
                {t.viewProduct}
              </a>
            )}
          </li>
        );
      })}
    </ul>
  );
}

/**
 * A same-site link replaces the whole page, and this frame's connection with it: the click is
 * counted first (a moment at most), then followed. A link in a new tab, or opened with a modifier
 * key, leaves this page alone and is not held up.
 */
function follow(event: MouseEvent, count: () => Promise<void>): void {
  const link = event.currentTarget as HTMLAnchorElement;
  if (link.target !== "_top" || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
    void count();
    return;
  }
  event.preventDefault();
  void count().finally(() => {
    // Still within the click's user activation, so a frame may navigate the page it is in.
    const go = document.createElement("a");
    go.href = link.href;
    go.target = "_top";
    document.body.append(go);
    go.click();
    go.remove();
  });
}

/** Two or three products side by side: one row per fact they share, the rows where they differ marked. */
export function ComparisonTable({ comparison, cards, t }: { comparison: ProductComparison; cards: ProductCard[]; t: Strings }) {
  const names = comparison.skus.map((sku) => cards.find((card) => card.sku === sku)?.name ?? sku);
  return (
    <div class="compare" role="region" aria-label={t.comparison} tabIndex={0}>
      <table>
        <thead>
          <tr>
            <th scope="col"><span class="sr-only">{t.comparison}</span></th>
            {names.map((name, index) => <th key={comparison.skus[index]} scope="col" dir="auto">{name}</th>)}
          </tr>
        </thead>
        <tbody>
          {comparison.rows.map((row) => (
            <tr key={row.label} class={row.differs ? "differs" : undefined}>
              <th scope="row" dir="auto">{row.label}</th>
              {row.values.map((value, index) => <td key={index} dir="auto">{value}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
