/**
 * Whether a person can pick up a hand-off now: someone is online and it is within business
 * hours. The agent side reports presence; until an agent is online, nobody is.
 */
export type Availability = { available: true } | { available: false; reason: "no-agent-online" | "outside-hours" };

export class AgentAvailability {
  readonly #online = new Map<string, number>();
  readonly #hours: { start: number; end: number } | null;
  readonly #timeZone: string;

  constructor(options: { businessHours: string; timeZone: string }) {
    this.#timeZone = options.timeZone;
    const match = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(options.businessHours);
    this.#hours = match ? { start: Number(match[1]) * 60 + Number(match[2]), end: Number(match[3]) * 60 + Number(match[4]) } : null;
  }

  /** An agent connection came online (count per agent, so several tabs of one agent count once). */
  agentOnline(agentId: string): void {
    this.#online.set(agentId, (this.#online.get(agentId) ?? 0) + 1);
  }

  agentOffline(agentId: string): void {
    const count = (this.#online.get(agentId) ?? 0) - 1;
    if (count > 0) this.#online.set(agentId, count);
    else this.#online.delete(agentId);
  }

  get onlineAgents(): number {
    return this.#online.size;
  }

  check(now: Date): Availability {
    if (!this.#withinHours(now)) return { available: false, reason: "outside-hours" };
    if (this.#online.size === 0) return { available: false, reason: "no-agent-online" };
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
