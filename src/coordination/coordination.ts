
/**
 * What the servers of one Kefu share while they run, behind one interface: signals every server
 * acts on, who of the agents is online, and which server runs the bot's turn in a conversation.
 * In-process (one server) by default; Redis when REDIS_URL is set.
 */
export type Signal =
  /** Stop the bot's answer streaming in this conversation, wherever it runs (a person took over). */
  | { type: "stop-bot"; conversationId: string }
  /** Close the agent sockets of these sessions, wherever they are connected. */
  | { type: "sessions-ended"; match: { tokenHash?: string; agentId?: string }; reason: string };

/** Agents online: connections counted per agent (several tabs of one agent count once), across servers. */
export interface Presence {
  agentOnline(agentId: string): void;
  agentOffline(agentId: string): void;
  readonly onlineAgents: number;
}

/** The right to run the bot's turn in one conversation; held until released, or until its server dies. */
export type TurnLease = {
  release(): Promise<void>;
  /** Held against every server's claims (false: one server, or claimed without a check). */
  readonly checked: boolean;
};

/**
 * How long a bot turn waits for its conversation's turn held elsewhere: long enough for a sweep's
 * brief look or another turn's release, shorter than a dead server's lease, which the sweep takes up.
 */
export const TURN_WAIT_MS = 1_000;

export interface Coordination {
  readonly presence: Presence;
  /** Several servers share the work: pending bot turns must be swept up, not only recovered at start. */
  readonly distributed: boolean;
  /** Deliver to every server, this one included. */
  broadcast(signal: Signal): Promise<void>;
  onSignal(handler: (signal: Signal) => void): void;
  /**
   * Claim the bot's turn in a conversation; null when another turn holds it. strict: refuse when
   * the claim cannot be checked (a sweep), instead of going ahead (a shopper waiting for an answer).
   * waitMs: try again for this long while another holds it (a sweep's brief look, a turn ending).
   */
  claimTurn(conversationId: string, options?: { strict?: boolean; waitMs?: number }): Promise<TurnLease | null>;
  close(): Promise<void>;
}

export class LocalPresence implements Presence {
  readonly #online = new Map<string, number>();

  agentOnline(agentId: string): void {
    this.#online.set(agentId, (this.#online.get(agentId) ?? 0) + 1);
  }

  /** Returns whether this was the agent's last connection here. */
  agentOffline(agentId: string): boolean {
    const count = (this.#online.get(agentId) ?? 0) - 1;
    if (count > 0) this.#online.set(agentId, count);
    else this.#online.delete(agentId);
    return count <= 0;
  }

  has(agentId: string): boolean {
    return this.#online.has(agentId);
  }

  agentIds(): string[] {
    return [...this.#online.keys()];
  }

  get onlineAgents(): number {
    return this.#online.size;
  }
}

/** One server: signals go straight to the handlers, and bot turns are already serialized in-process. */
export class LocalCoordination implements Coordination {
  readonly presence = new LocalPresence();
  readonly distributed = false;
  readonly #handlers: ((signal: Signal) => void)[] = [];

  async broadcast(signal: Signal): Promise<void> {
    for (const handler of this.#handlers) handler(signal);
  }

  onSignal(handler: (signal: Signal) => void): void {
    this.#handlers.push(handler);
  }

  async claimTurn(): Promise<TurnLease> {
    return { release: async () => undefined, checked: false };
  }

  async close(): Promise<void> {}
}
