import { LocalPresence, type Presence } from "../coordination/coordination.ts";

/**
 * Whether a person can pick up a hand-off now: someone is online and it is within business
 * hours. The agent side reports presence; until an agent is online, nobody is.
 */
export type Availability = { available: true } | { available: false; reason: "no-agent-online" | "outside-hours" };

export class AgentAvailability {
  readonly #presence: Presence;
  readonly #hours: { start: number; end: number } | null;
  readonly #timeZone: string;

  constructor(options: { businessHours: string; timeZone: string; presence?: Presence }) {
    this.#presence = options.presence ?? new LocalPresence();
    this.#timeZone = options.timeZone;
    const match = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(options.businessHours);
    this.#hours = match ? { start: Number(match[1]) * 60 + Number(match[2]), end: Number(match[3]) * 60 + Number(match[4]) } : null;
  }

  /** An agent connection came online (count per agent, so several tabs of one agent count once). */
  agentOnline(agentId: string): void {
    this.#presence.agentOnline(agentId);
  }

  agentOffline(agentId: string): void {
    this.#presence.agentOffline(agentId);
  }

  /** On every server (the presence given). */
  get onlineAgents(): number {
    return this.#presence.onlineAgents;
  }

  check(now: Date): Availability {
    if (!this.#withinHours(now)) return { available: false, reason: "outside-hours" };
    if (this.#presence.onlineAgents === 0) return { available: false, reason: "no-agent-online" };
    return { available: true };
  }

  #withinHours(now: Date): boolean {
    if (!this.#hours) return true;
    const parts = new Intl.DateTimeFormat("en-GB", { timeZone: this.#timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(now);
    const minutes = Number(parts.find((part) => part.type === "hour")!.value) * 60 + Number(parts.find((part) => part.type === "minute")!.value);
    const { start, end } = this.#hours;
    return start <= end ? minutes >= start && minutes < end : minutes >= start || minutes < end;
  }
}
