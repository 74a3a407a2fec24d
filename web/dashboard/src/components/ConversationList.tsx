import { useContext, useEffect, useRef } from "preact/hooks";
import type { ConversationSummary } from "../../../../src/protocol/agent-events.ts";
import { FILTERS, type Filter } from "../desk-state.ts";
import { ago, elapsed } from "../format.ts";
import { DeskContext, memo, useDesk, useLang, useNow } from "../hooks.ts";
import { Icon, ReasonChip, StateBadge } from "./bits.tsx";

export function ConversationList() {
  const { t } = useLang();
  const [desk, state] = useDesk();
  const { filter, search, list, listError, waiting, open, me } = state;
  const now = useNow(1_000);
  const searchRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLUListElement>(null);

  // "/" jumps to search from anywhere outside a text field.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement;
      if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
      if (target.closest("input, textarea, [contenteditable]")) return;
      event.preventDefault();
      searchRef.current?.focus();
    };
    addEventListener("keydown", onKey);
    return () => removeEventListener("keydown", onKey);
  }, []);

  const onListKey = (event: KeyboardEvent) => {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp" && event.key !== "Home" && event.key !== "End") return;
    const rows = [...(listRef.current?.querySelectorAll<HTMLButtonElement>("button.row") ?? [])];
    if (rows.length === 0) return;
    event.preventDefault();
    const index = rows.indexOf(document.activeElement as HTMLButtonElement);
    const next = event.key === "Home" ? 0 : event.key === "End" ? rows.length - 1 : Math.min(rows.length - 1, Math.max(0, index + (event.key === "ArrowDown" ? 1 : -1)));
    rows[next]?.focus();
  };

  const mine = list?.filter((row) => row.state === "agent" && row.assignedAgent?.id === me.id).length;

  return (
    <nav class="sidebar" aria-label={t("filter.label")}>
      <div class="filters" role="group" aria-label={t("filter.label")}>
        {FILTERS.map((name) => (
          <FilterButton name={name} active={filter === name} count={name === "waiting" ? waiting.size : name === "mine" && filter === "mine" ? mine : undefined} onSelect={() => desk.setFilter(name)} />
        ))}
      </div>
      <div class="search">
        <Icon name="search" />
        <input
          ref={searchRef}
          type="search"
          value={search}
          placeholder={t("search.placeholder")}
          aria-label={t("search.placeholder")}
          aria-keyshortcuts="/"
          onInput={(event) => desk.setSearch(event.currentTarget.value)}
          onKeyDown={(event) => {
            if (event.key === "Escape" && search) {
              event.preventDefault();
              desk.setSearch("");
            }
            if (event.key === "ArrowDown") {
              event.preventDefault();
              listRef.current?.querySelector<HTMLButtonElement>("button.row")?.focus();
            }
          }}
        />
        <kbd class="kbd" aria-hidden="true">
          /
        </kbd>
      </div>
      {listError && (
        <p class="list-error" role="alert">
          {listError.message}
        </p>
      )}
      {list === null ? (
        <p class="list-empty">{t("list.loading")}</p>
      ) : list.length === 0 ? (
        <p class="list-empty">{search.trim() ? t("list.emptySearch", { search: search.trim() }) : filter === "waiting" ? t("list.empty.waiting") : t("list.empty")}</p>
      ) : (
        <ul class="rows" ref={listRef} onKeyDown={onListKey} aria-live="polite" aria-relevant="additions">
          {list.map((summary) => (
            <li key={summary.id}>
              <Row summary={summary} current={open?.id === summary.id} now={summary.state === "waiting" ? now : Math.floor(now / 30_000) * 30_000} meId={me.id} />
            </li>
          ))}
        </ul>
      )}
    </nav>
  );
}

function FilterButton(props: { name: Filter; active: boolean; count: number | undefined; onSelect: () => void }) {
  const { t } = useLang();
  return (
    <button type="button" class={`filter filter-${props.name}`} aria-pressed={props.active} onClick={props.onSelect}>
      {t(`filter.${props.name}`)}
      {props.count !== undefined && props.count > 0 && <span class="count">{props.count}</span>}
    </button>
  );
}

const Row = memo(function Row(props: { summary: ConversationSummary; current: boolean; now: number; meId: string }) {
  const { t, lang } = useLang();
  const desk = useContext(DeskContext);
  const { summary, now } = props;
  const handoff = summary.handoff;
  const waitingFor = summary.state === "waiting" ? elapsed(summary.waitingSince ?? handoff?.at ?? summary.updatedAt, now) : null;
  const long = summary.state === "waiting" && now - Date.parse(summary.waitingSince ?? summary.updatedAt) > 120_000;
  return (
    <button type="button" class={`row row-${summary.state}`} aria-current={props.current ? "true" : undefined} onClick={() => desk.open(summary.id)} data-conversation-id={summary.id}>
      <span class="row-top">
        <StateBadge state={summary.state} />
        <span class="row-product" title={summary.productId ?? ""}>
          {summary.productId ? (
            <>
              <Icon name="page" size={13} />
              {summary.productId}
            </>
          ) : (
            <span class="muted">{t("view.noProduct")}</span>
          )}
        </span>
        {waitingFor !== null ? (
          <span class={`row-wait ${long ? "row-wait-long" : ""}`} title={t("list.waitingFor", { time: waitingFor })}>
            {waitingFor}
          </span>
        ) : (
          <span class="row-ago">{ago(summary.lastMessageAt ?? summary.updatedAt, now, lang)}</span>
        )}
      </span>
      <span class="row-message">{summary.lastMessage ?? <span class="muted">{t("list.noMessage")}</span>}</span>
      {(handoff || summary.assignedAgent || summary.contactLeft) && (
        <span class="row-meta">
          {handoff && summary.state !== "bot" && <ReasonChip reason={handoff.reason} score={handoff.confidence?.score} threshold={handoff.confidence?.threshold} />}
          {summary.assignedAgent && summary.state === "agent" && (
            <span class={`row-agent ${summary.assignedAgent.id === props.meId ? "row-agent-me" : ""}`}>{t("list.with", { name: summary.assignedAgent.id === props.meId ? t("view.you") : summary.assignedAgent.name })}</span>
          )}
          {summary.contactLeft && <span class="tag">{t("list.contactLeft")}</span>}
          {summary.locale && <span class="tag tag-lang">{summary.locale.toUpperCase()}</span>}
        </span>
      )}
    </button>
  );
});
