import { Component, createContext, h, type FunctionComponent } from "preact";
import { useContext, useEffect, useState } from "preact/hooks";
import type { Desk } from "./desk.ts";
import type { DeskState } from "./desk-state.ts";
import type { Lang, Translate } from "./i18n.ts";

export type LangContextValue = { lang: Lang; t: Translate; setLang: (lang: Lang) => void };
export const LangContext = createContext<LangContextValue>(null as unknown as LangContextValue);
export const useLang = (): LangContextValue => useContext(LangContext);

export const DeskContext = createContext<Desk>(null as unknown as Desk);

/** The desk and its current state; re-renders on every change. */
export function useDesk(): [Desk, DeskState] {
  const desk = useContext(DeskContext);
  const [, setVersion] = useState(0);
  useEffect(() => desk.subscribe(() => setVersion((version) => version + 1)), [desk]);
  return [desk, desk.state];
}

/** The current time, refreshed every `ms` (for ticking waiting times). */
export function useNow(ms = 1_000): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

/** Skip re-rendering a component while its props are shallowly equal (preact/compat's memo without compat). */
export function memo<P extends object>(component: FunctionComponent<P>): FunctionComponent<P> {
  class Memo extends Component<P> {
    override shouldComponentUpdate(next: P): boolean {
      const current = this.props as Record<string, unknown>;
      const incoming = next as Record<string, unknown>;
      for (const key in incoming) if (key !== "children" && current[key] !== incoming[key]) return true;
      for (const key in current) if (!(key in incoming)) return true;
      return false;
    }
    override render(props: P) {
      return h(component, props);
    }
  }
  return Memo as unknown as FunctionComponent<P>;
}
