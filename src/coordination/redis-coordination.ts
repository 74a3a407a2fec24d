import { randomUUID } from "node:crypto";
import { setTimeout } from "node:timers/promises";
import { createClient, type RedisClientType } from "redis";
import { redactUrl } from "../config.ts";
import { AppError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import { LocalPresence, type Coordination, type Presence, type Signal, type TurnLease } from "./coordination.ts";

const SIGNALS = "kefu:signals";
const PRESENCE = "kefu:presence";
const PRESENCE_TTL_MS = 15_000;
const HEARTBEAT_MS = 5_000;
const TURN_TTL_MS = 6_000;
const TURN_RENEW_MS = 2_000;
/** How often a claim waiting for a turn held elsewhere tries again. */
const TURN_RETRY_MS = 50;

const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
const RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";

export type RedisClient = RedisClientType;

/** Connect a client that reconnects by itself; the first connection must work or REDIS_URL is named. */
export async function connectRedis(url: string, logger: Logger, name: string): Promise<RedisClient> {
  const probe = createClient({ url, socket: { connectTimeout: 5_000, reconnectStrategy: false } });
  probe.on("error", () => undefined);
  try {
    await probe.connect();
    await probe.ping();
  } catch (error) {
    throw new AppError("CONFIG_INVALID", `REDIS_URL: cannot use Redis at ${redactUrl(url)}: ${(error as Error).message || String(error)}`, { cause: error });
  } finally {
    if (probe.isOpen) probe.destroy();
  }
  const client = createClient({
    url,
    // Fail commands at once while Redis is away (chat goes on without it), and keep reconnecting.
    disableOfflineQueue: true,
    socket: { connectTimeout: 5_000, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2_000) },
  }) as RedisClient;
  let down = false;
  client.on("error", (error: Error) => {
    if (!down) logger.warn({ err: error, client: name }, "Redis connection lost; retrying");
    down = true;
  });
  client.on("ready", () => {
    if (down) logger.info({ client: name }, "Redis connection back");
    down = false;
  });
  await client.connect();
  return client;
}

/**
 * Coordination through Redis: signals on a pub/sub channel, presence as a sorted set of
 * agent-and-server entries that expire unless their server renews them (so a dead server's agents
 * drop out), and bot turns as keys set only if absent, with an expiry their holder renews.
 */
export class RedisCoordination implements Coordination {
  readonly distributed = true;
  readonly presence: Presence;
  readonly #nodeId = randomUUID();
  readonly #client: RedisClient;
  readonly #subscriber: RedisClient;
  readonly #logger: Logger;
  readonly #handlers: ((signal: Signal) => void)[] = [];
  readonly #local = new LocalPresence();
  /** Buckets used while Redis is away: chat keeps its limits per server meanwhile. */
  #everywhere = new Set<string>();
  readonly #heartbeat: NodeJS.Timeout;

  private constructor(client: RedisClient, subscriber: RedisClient, logger: Logger) {
    this.#client = client;
    this.#subscriber = subscriber;
    this.#logger = logger;
    const local = this.#local;
    const coordination = this;
    this.presence = {
      agentOnline(agentId: string) {
        const first = !local.has(agentId);
        local.agentOnline(agentId);
        if (first) void coordination.#publishPresence([agentId], []);
      },
      agentOffline(agentId: string) {
        if (local.agentOffline(agentId)) void coordination.#publishPresence([], [agentId]);
      },
      get onlineAgents() {
        return new Set([...coordination.#everywhere, ...local.agentIds()]).size;
      },
    };
    this.#heartbeat = setInterval(() => void this.#publishPresence(local.agentIds(), []), HEARTBEAT_MS);
    this.#heartbeat.unref();
  }

  static async connect(url: string, logger: Logger): Promise<RedisCoordination> {
    const client = await connectRedis(url, logger, "coordination");
    const subscriber = await connectRedis(url, logger, "signals");
    const coordination = new RedisCoordination(client, subscriber, logger);
    await subscriber.subscribe(SIGNALS, (message) => coordination.#receive(message));
    await coordination.#refreshPresence();
    return coordination;
  }

  async broadcast(signal: Signal): Promise<void> {
    try {
      await this.#client.publish(SIGNALS, JSON.stringify(signal));
    } catch (error) {
      // Redis is away: act here at least; other servers still stop at their next compare-and-set.
      this.#logger.warn({ err: error, signal: signal.type }, "signal not broadcast");
      this.#deliver(signal);
    }
  }

  onSignal(handler: (signal: Signal) => void): void {
    this.#handlers.push(handler);
  }

  async claimTurn(conversationId: string, options: { strict?: boolean; waitMs?: number } = {}): Promise<TurnLease | null> {
    const key = `kefu:turn:${conversationId}`;
    const token = `${this.#nodeId}:${randomUUID()}`;
    const giveUpAt = Date.now() + (options.waitMs ?? 0);
    try {
      while ((await this.#client.set(key, token, { condition: "NX", expiration: { type: "PX", value: TURN_TTL_MS } })) !== "OK") {
        if (Date.now() + TURN_RETRY_MS > giveUpAt) return null;
        await setTimeout(TURN_RETRY_MS);
      }
    } catch (error) {
      if (options.strict) return null;
      this.#logger.warn({ err: error, conversationId }, "bot turn not claimed in Redis; answering anyway");
      return { release: async () => undefined, checked: false };
    }
    const renew = setInterval(() => {
      this.#client.eval(RENEW, { keys: [key], arguments: [token, String(TURN_TTL_MS)] }).catch((error: unknown) => this.#logger.warn({ err: error, conversationId }, "bot turn not renewed"));
    }, TURN_RENEW_MS);
    renew.unref();
    return {
      checked: true,
      release: async () => {
        clearInterval(renew);
        await this.#client.eval(RELEASE, { keys: [key], arguments: [token] }).catch(() => undefined);
      },
    };
  }

  async close(): Promise<void> {
    clearInterval(this.#heartbeat);
    await this.#client.zRem(PRESENCE, this.#local.agentIds().map((agentId) => this.#member(agentId))).catch(() => undefined);
    await this.#client.publish(SIGNALS, JSON.stringify({ type: "presence" })).catch(() => undefined);
    this.#subscriber.destroy();
    this.#client.destroy();
  }

  #member(agentId: string): string {
    return `${agentId} ${this.#nodeId}`;
  }

  async #publishPresence(online: string[], offline: string[]): Promise<void> {
    try {
      const expires = Date.now() + PRESENCE_TTL_MS;
      if (online.length > 0) await this.#client.zAdd(PRESENCE, online.map((agentId) => ({ score: expires, value: this.#member(agentId) })));
      if (offline.length > 0) await this.#client.zRem(PRESENCE, offline.map((agentId) => this.#member(agentId)));
      await this.#client.zRemRangeByScore(PRESENCE, "-inf", Date.now());
      if (online.length > 0 || offline.length > 0) await this.#client.publish(SIGNALS, JSON.stringify({ type: "presence" }));
      await this.#refreshPresence();
    } catch (error) {
      this.#logger.warn({ err: error }, "presence not shared");
    }
  }

  async #refreshPresence(): Promise<void> {
    const members = await this.#client.zRangeByScore(PRESENCE, Date.now(), "+inf");
    this.#everywhere = new Set(members.map((member) => member.split(" ")[0]!));
  }

  #receive(message: string): void {
    let signal: Signal | { type: "presence" };
    try {
      signal = JSON.parse(message) as Signal | { type: "presence" };
    } catch {
      return;
    }
    if (signal.type === "presence") void this.#refreshPresence().catch(() => undefined);
    else this.#deliver(signal);
  }

  #deliver(signal: Signal): void {
    for (const handler of this.#handlers) {
      try {
        handler(signal);
      } catch (error) {
        this.#logger.error({ err: error, signal: signal.type }, "signal handler failed");
      }
    }
  }
}
