import { z } from "zod";
import { AppError } from "./errors.ts";

/**
 * Every setting Kefu reads, from environment variables. This is the only module that reads
 * process.env (through loadConfig's argument); the rest of the code receives a frozen Config.
 */
const bool = z.enum(["true", "false", "1", "0"]).transform((value) => value === "true" || value === "1");
const list = z.string().transform((value) => value.split(",").map((item) => item.trim()).filter(Boolean));
const seconds = z.coerce.number().positive();
const trust = z.string().min(1).transform((value): boolean | number | string[] =>
  value === "true" ? true : value === "false" ? false : /^\d+$/.test(value) ? Number(value) : value.split(",").map((item) => item.trim()).filter(Boolean),
);

export const VARIABLES = {
  PORT: { schema: z.coerce.number().int().min(0).max(65535), default: "3000", doc: "HTTP and socket.io port (0 picks a free one)" },
  HOST: { schema: z.string().min(1), default: "0.0.0.0", doc: "Interface to listen on" },
  LOG_LEVEL: { schema: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]), default: "info", doc: "pino log level" },
  DATA_DIR: { schema: z.string().min(1), default: "./data", doc: "Folder for the SQLite databases and the vector index" },
  KNOWLEDGE_DIR: { schema: z.string().min(1), default: "./knowledge", doc: "Folder of catalog and FAQ files ingested at start-up" },
  KNOWLEDGE_WATCH: { schema: bool, default: "true", doc: "Pick up changes to KNOWLEDGE_DIR while running" },
  KNOWLEDGE_CHECK_ON_PUBLISH: { schema: bool, default: "false", doc: "Run the regression check before every API publish and refuse changes that lose answers (force overrides)" },
  DB_SYNCHRONOUS: { schema: z.enum(["full", "normal"]), default: "full", doc: "SQLite synchronous mode: full survives power loss, normal only process crashes" },
  DATABASE_URL: { schema: z.string().regex(/^postgres(ql)?:\/\/\S+$/, "use postgres://user:password@host:5432/database").optional(), default: undefined, doc: "Postgres for durable state instead of the SQLite files in DATA_DIR (several servers share it); unset: SQLite" },
  REDIS_URL: { schema: z.string().regex(/^rediss?:\/\/\S+$/, "use redis://host:6379 or rediss://…").optional(), default: undefined, doc: "Redis 7 for socket.io fan-out and coordination between servers; unset: one server, in-process" },
  ALLOWED_ORIGINS: { schema: list, default: "", doc: "Comma-separated origins allowed to embed the widget and open sockets besides the server's own; * allows any" },
  MAX_PAYLOAD_BYTES: { schema: z.coerce.number().int().min(1024).max(1_000_000), default: "65536", doc: "Largest socket.io frame accepted; bigger frames close that socket" },
  MAX_MESSAGE_CHARS: { schema: z.coerce.number().int().min(1).max(20_000), default: "2000", doc: "Longest shopper message; longer ones are refused with PAYLOAD_TOO_LARGE" },
  MESSAGES_PER_MINUTE: { schema: z.coerce.number().int().min(1), default: "20", doc: "Shopper messages allowed per conversation per minute" },
  TRUST_PROXY: { schema: trust, default: "loopback", doc: "Which proxies to believe about the client's address (X-Forwarded-For): loopback, a comma-separated list of addresses or CIDR ranges, a hop count, true (any) or false (none); per-IP limits use that address" },
  SOCKETS_PER_IP: { schema: z.coerce.number().int().min(1), default: "300", doc: "Open shopper sockets allowed from one IP (IPv6: one /64) at once; more are refused with RATE_LIMITED" },
  CONNECTIONS_PER_IP_PER_MINUTE: { schema: z.coerce.number().int().min(1), default: "600", doc: "Shopper sockets one IP (IPv6: one /64) may open per minute, however briefly each stays open (agents' sockets do not count); more are refused with RATE_LIMITED" },
  CONVERSATIONS_PER_IP_PER_MINUTE: { schema: z.coerce.number().int().min(1), default: "120", doc: "New conversations one IP may start per minute (resuming one does not count)" },
  MESSAGES_PER_IP_PER_MINUTE: { schema: z.coerce.number().int().min(1), default: "600", doc: "Shopper messages allowed from one IP per minute, over all its conversations" },
  EVENTS_PER_IP_PER_MINUTE: { schema: z.coerce.number().int().min(1), default: "3000", doc: "Shopper events of any kind (starts, messages, typing, page views, feedback, contacts) allowed from one IP per minute" },
  EVENTS_PER_CONVERSATION_PER_MINUTE: { schema: z.coerce.number().int().min(1), default: "120", doc: "Typing, page-view and feedback events allowed per conversation per minute" },
  CONTACTS_PER_CONVERSATION_PER_HOUR: { schema: z.coerce.number().int().min(1), default: "10", doc: "Contact details a conversation may leave per hour" },
  ANSWERS_PER_MINUTE: { schema: z.coerce.number().int().min(1), default: "1200", doc: "Bot answers started per minute over all shoppers; beyond it the shopper is offered a person" },
  CONCURRENT_LLM_CALLS: { schema: z.coerce.number().int().min(1), default: "128", doc: "Requests to the LLM in flight at once from this process; more wait" },
  LLM_TOKENS_PER_DAY: { schema: z.coerce.number().int().min(0), default: "5000000", doc: "LLM tokens (prompt and answer) allowed per 24 hours; when spent, shoppers are offered a person; 0: no budget" },
  METRICS_TOKEN: { schema: z.string().min(16, "at least 16 characters").optional(), default: undefined, doc: "Bearer token for GET /metrics; unset: /metrics answers loopback clients only" },
  BOT_CONCURRENCY: { schema: z.coerce.number().int().min(1).max(1000), default: "128", doc: "Bot answers in progress at once (a turn with a model mostly waits on it: 128 turns of 2-3 s are about 50 answers/s); more wait in the bot queue, oldest first (one at a time per conversation)" },
  BOT_QUEUE_LIMIT: { schema: z.coerce.number().int().min(1), default: "2000", doc: "Bot answers waiting at which new shopper messages for the bot are refused with RATE_LIMITED (the widget sends them again shortly); accepted messages are never dropped" },
  BOT_BUSY_NOTICE_SECONDS: { schema: seconds, default: "5", doc: "A shopper whose answer has waited this long in the bot queue is told, once, that it is coming" },
  EMBEDDER: { schema: z.enum(["hashing", "openai", "use"]), default: "hashing", doc: "hashing: offline, zh+en, no download; openai: any OpenAI-compatible embeddings API; use: offline Universal Sentence Encoder blended with hashing (optional @energetic-ai packages; better English retrieval, Chinese text is embedded by hashing alone; ingests ~20 passages/s, adds ~10 ms per query)" },
  EMBEDDING_BASE_URL: { schema: z.string().url().optional(), default: undefined, doc: "Embeddings API base URL (EMBEDDER=openai); defaults to LLM_BASE_URL" },
  EMBEDDING_API_KEY: { schema: z.string().optional(), default: undefined, doc: "Embeddings API key (EMBEDDER=openai); defaults to LLM_API_KEY" },
  EMBEDDING_MODEL: { schema: z.string().min(1), default: "text-embedding-3-small", doc: "Embeddings model name (EMBEDDER=openai)" },
  SHOPPING_NEW_DAYS: { schema: z.coerce.number().int().min(1).max(3650), default: "90", doc: "Days after its launch date a product counts as new (New badge, \"what's new\")" },
  SHOPPING_MAX_CARDS: { schema: z.coerce.number().int().min(1).max(20), default: "8", doc: "Most product cards in one shopping answer" },
  CATALOG_FAQ_DRAFTS: { schema: z.enum(["off", "offline", "llm"]), default: "offline", doc: "Draft FAQ entries from new and changed products after each knowledge publish: offline (from their attributes), llm (with the LLM when one is configured; it spends the same token budget and call slots as shoppers' answers) or off" },
  RETRIEVAL_TOP_K: { schema: z.coerce.number().int().min(1).max(50), default: "5", doc: "Passages handed to the answerer" },
  HNSW_EF: { schema: z.coerce.number().int().min(10).max(2000), default: "1100", doc: "hnswlib search breadth (ef); higher is more exact and slower (recall@10 against exact search at 100k passages, M=32: 0.86 at 256, 0.92 at 512, 0.95 at 1000; after three 1% updates 0.948 at 1000, 0.953 at 1100, 0.955 at 1200)" },
  HNSW_M: { schema: z.coerce.number().int().min(4).max(96), default: "32", doc: "hnswlib links per node (M): more gives better recall, a bigger index and a slower build; a change rebuilds the index" },
  HNSW_EF_CONSTRUCTION: { schema: z.coerce.number().int().min(10).max(2000), default: "200", doc: "hnswlib build breadth (efConstruction): higher gives better recall and a slower build; a change rebuilds the index" },
  SEARCH_THREADS: { schema: z.coerce.number().int().min(1).max(16), default: "1", doc: "Search worker threads (each holds its own copy of the vector index); retrieval never runs on the event loop" },
  LLM_BASE_URL: { schema: z.string().url().optional(), default: undefined, doc: "OpenAI-compatible base URL (e.g. https://api.openai.com/v1, http://localhost:11434/v1); unset: offline extractive answers" },
  LLM_API_KEY: { schema: z.string().optional(), default: undefined, doc: "API key for LLM_BASE_URL (any non-empty value for servers without keys)" },
  LLM_MODEL: { schema: z.string().min(1), default: "gpt-4o-mini", doc: "Chat model name" },
  LLM_TIMEOUT_SECONDS: { schema: seconds, default: "20", doc: "Per-attempt LLM timeout, including the whole stream" },
  LLM_MAX_RETRIES: { schema: z.coerce.number().int().min(0).max(5), default: "2", doc: "Retries after a timeout, 429, 5xx or broken stream" },
  LLM_TEMPERATURE: { schema: z.coerce.number().min(0).max(2), default: "0.2", doc: "Sampling temperature" },
  LLM_MAX_TOKENS: { schema: z.coerce.number().int().min(16).max(8192), default: "512", doc: "Longest answer in tokens" },
  HANDOFF_THRESHOLD: { schema: z.coerce.number().min(0).max(1), default: "0.5", doc: "Answers with confidence below this are handed to a person instead" },
  BUSINESS_HOURS: { schema: z.string().regex(/^(\d{2}:\d{2}-\d{2}:\d{2})?$/, "use HH:MM-HH:MM"), default: "", doc: "Hours agents work, HH:MM-HH:MM in BUSINESS_TIMEZONE; empty: always" },
  BUSINESS_TIMEZONE: { schema: z.string().min(1), default: "Asia/Shanghai", doc: "IANA time zone of BUSINESS_HOURS" },
  AGENT_SESSION_HOURS: { schema: z.coerce.number().positive().max(24 * 30), default: "12", doc: "How long an agent stays logged in" },
  ADMIN_EMAIL: { schema: z.email().optional(), default: undefined, doc: "With ADMIN_PASSWORD: the first admin, created on start when there is no agent yet" },
  ADMIN_PASSWORD: { schema: z.string().min(10, "at least 10 characters").optional(), default: undefined, doc: "Password of ADMIN_EMAIL (used only to create that first admin)" },
  HANDOFF_WEBHOOK_URL: { schema: z.string().url().optional(), default: undefined, doc: "POST each new hand-off as JSON here (retried); for teams that live in another tool" },
  HANDOFF_WEBHOOK_SECRET: { schema: z.string().min(16, "at least 16 characters").optional(), default: undefined, doc: "Key of the HMAC-SHA256 signature on each webhook delivery (Kefu-Signature header); required with HANDOFF_WEBHOOK_URL" },
  RETENTION_DAYS: { schema: z.coerce.number().int().min(0).max(36_500), default: "0", doc: "Delete conversations (messages, contact details, notes) inactive for this many days, and ended agent sessions, hourly; 0 keeps them" },
  PUBLIC_URL: { schema: z.string().url().optional(), default: undefined, doc: "The server's public address, for links in webhooks" },
  SHUTDOWN_GRACE_SECONDS: { schema: seconds, default: "10", doc: "On SIGTERM (drain), how long answers in progress may take to finish before they are stopped" },
  PRETTY_LOGS: { schema: bool, default: "false", doc: "Human-readable logs instead of JSON lines" },
} as const;

type Variables = typeof VARIABLES;
export type VariableName = keyof Variables;
type Values = { [K in VariableName]: z.output<Variables[K]["schema"]> };

/** Budgets for shopper events, per conversation, per IP and for the whole server (see src/limits/). */
export type ShopperLimitSettings = Readonly<{
  messagesPerConversationPerMinute: number;
  socketsPerIp: number;
  connectionsPerIpPerMinute: number;
  conversationsPerIpPerMinute: number;
  messagesPerIpPerMinute: number;
  eventsPerIpPerMinute: number;
  eventsPerConversationPerMinute: number;
  contactsPerConversationPerHour: number;
  answersPerMinute: number;
  concurrentLlmCalls: number;
  llmTokensPerDay: number;
}>;

export type Config = Readonly<{
  port: number;
  host: string;
  logLevel: string;
  prettyLogs: boolean;
  dataDir: string;
  knowledgeDir: string;
  knowledgeWatch: boolean;
  knowledgeCheckOnPublish: boolean;
  /** url: Postgres instead of SQLite. */
  database: Readonly<{ synchronous: "full" | "normal"; url: string | undefined }>;
  /** Redis shared by the servers; undefined: a single server coordinating in-process. */
  redisUrl: string | undefined;
  limits: Readonly<{ allowedOrigins: readonly string[]; maxPayloadBytes: number; maxMessageChars: number }>;
  /** As express's "trust proxy": true (any), false (none), a hop count, or addresses, CIDR ranges and names like loopback. */
  trustProxy: boolean | number | readonly string[];
  shopperLimits: ShopperLimitSettings;
  metricsToken: string | undefined;
  botQueue: Readonly<{ concurrency: number; limit: number; busyNoticeMs: number }>;
  embedding: Readonly<{ kind: "hashing" | "openai" | "use"; baseUrl: string | undefined; apiKey: string | undefined; model: string }>;
  retrieval: Readonly<{ topK: number; ef: number; m: number; efConstruction: number; threads: number }>;
  shopping: Readonly<{ newDays: number; maxCards: number; catalogDrafts: "off" | "offline" | "llm" }>;
  llm: Readonly<{ baseUrl: string; apiKey: string; model: string; timeoutMs: number; maxRetries: number; temperature: number; maxTokens: number }> | undefined;
  handoff: Readonly<{ threshold: number; businessHours: string; timeZone: string; webhook: Readonly<{ url: string; secret: string }> | undefined }>;
  privacy: Readonly<{ retentionDays: number }>;
  agents: Readonly<{ sessionHours: number; firstAdmin: Readonly<{ email: string; password: string }> | undefined }>;
  publicUrl: string | undefined;
  shutdownGraceMs: number;
}>;

/** Parse the environment once. A wrong value throws CONFIG_INVALID naming every bad variable. */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const values: Partial<Record<VariableName, unknown>> = {};
  const problems: string[] = [];
  for (const [name, variable] of Object.entries(VARIABLES) as [VariableName, Variables[VariableName]][]) {
    const raw = env[name] === "" && variable.default === undefined ? undefined : (env[name] ?? variable.default);
    const result = (variable.schema as z.ZodType).safeParse(raw);
    if (result.success) values[name] = result.data;
    else problems.push(`${name}=${JSON.stringify(raw)}: ${result.error.issues.map((issue) => issue.message).join("; ")}. ${variable.doc}.`);
  }
  if (problems.length > 0) {
    throw new AppError("CONFIG_INVALID", `Invalid configuration, fix these environment variables:\n  ${problems.join("\n  ")}`);
  }
  const v = values as Values;
  if (Boolean(v.ADMIN_EMAIL) !== Boolean(v.ADMIN_PASSWORD)) {
    throw new AppError("CONFIG_INVALID", "Invalid configuration: set both ADMIN_EMAIL and ADMIN_PASSWORD, or neither.");
  }
  if (v.HANDOFF_WEBHOOK_URL && !v.HANDOFF_WEBHOOK_SECRET) {
    throw new AppError("CONFIG_INVALID", "Invalid configuration: HANDOFF_WEBHOOK_URL needs HANDOFF_WEBHOOK_SECRET (at least 16 characters) to sign its deliveries.");
  }
  if (v.EMBEDDER === "openai" && !(v.EMBEDDING_BASE_URL ?? v.LLM_BASE_URL)) {
    throw new AppError("CONFIG_INVALID", "Invalid configuration: EMBEDDER=openai needs EMBEDDING_BASE_URL (or LLM_BASE_URL).");
  }
  const config: Config = {
    port: v.PORT,
    host: v.HOST,
    logLevel: v.LOG_LEVEL,
    prettyLogs: v.PRETTY_LOGS,
    dataDir: v.DATA_DIR,
    knowledgeDir: v.KNOWLEDGE_DIR,
    knowledgeWatch: v.KNOWLEDGE_WATCH,
    knowledgeCheckOnPublish: v.KNOWLEDGE_CHECK_ON_PUBLISH,
    database: { synchronous: v.DB_SYNCHRONOUS, url: v.DATABASE_URL },
    redisUrl: v.REDIS_URL,
    limits: {
      allowedOrigins: v.ALLOWED_ORIGINS,
      maxPayloadBytes: v.MAX_PAYLOAD_BYTES,
      maxMessageChars: v.MAX_MESSAGE_CHARS,
    },
    trustProxy: v.TRUST_PROXY,
    shopperLimits: {
      messagesPerConversationPerMinute: v.MESSAGES_PER_MINUTE,
      socketsPerIp: v.SOCKETS_PER_IP,
      connectionsPerIpPerMinute: v.CONNECTIONS_PER_IP_PER_MINUTE,
      conversationsPerIpPerMinute: v.CONVERSATIONS_PER_IP_PER_MINUTE,
      messagesPerIpPerMinute: v.MESSAGES_PER_IP_PER_MINUTE,
      eventsPerIpPerMinute: v.EVENTS_PER_IP_PER_MINUTE,
      eventsPerConversationPerMinute: v.EVENTS_PER_CONVERSATION_PER_MINUTE,
      contactsPerConversationPerHour: v.CONTACTS_PER_CONVERSATION_PER_HOUR,
      answersPerMinute: v.ANSWERS_PER_MINUTE,
      concurrentLlmCalls: v.CONCURRENT_LLM_CALLS,
      llmTokensPerDay: v.LLM_TOKENS_PER_DAY,
    },
    metricsToken: v.METRICS_TOKEN,
    botQueue: { concurrency: v.BOT_CONCURRENCY, limit: v.BOT_QUEUE_LIMIT, busyNoticeMs: v.BOT_BUSY_NOTICE_SECONDS * 1000 },
    embedding: {
      kind: v.EMBEDDER,
      baseUrl: v.EMBEDDING_BASE_URL ?? v.LLM_BASE_URL,
      apiKey: v.EMBEDDING_API_KEY ?? v.LLM_API_KEY,
      model: v.EMBEDDING_MODEL,
    },
    retrieval: { topK: v.RETRIEVAL_TOP_K, ef: v.HNSW_EF, m: v.HNSW_M, efConstruction: v.HNSW_EF_CONSTRUCTION, threads: v.SEARCH_THREADS },
    shopping: { newDays: v.SHOPPING_NEW_DAYS, maxCards: v.SHOPPING_MAX_CARDS, catalogDrafts: v.CATALOG_FAQ_DRAFTS },
    llm: v.LLM_BASE_URL
      ? {
          baseUrl: v.LLM_BASE_URL,
          apiKey: v.LLM_API_KEY ?? "not-needed",
          model: v.LLM_MODEL,
          timeoutMs: v.LLM_TIMEOUT_SECONDS * 1000,
          maxRetries: v.LLM_MAX_RETRIES,
          temperature: v.LLM_TEMPERATURE,
          maxTokens: v.LLM_MAX_TOKENS,
        }
      : undefined,
    handoff: { threshold: v.HANDOFF_THRESHOLD, businessHours: v.BUSINESS_HOURS, timeZone: v.BUSINESS_TIMEZONE, webhook: v.HANDOFF_WEBHOOK_URL && v.HANDOFF_WEBHOOK_SECRET ? { url: v.HANDOFF_WEBHOOK_URL, secret: v.HANDOFF_WEBHOOK_SECRET } : undefined },
    privacy: { retentionDays: v.RETENTION_DAYS },
    agents: {
      sessionHours: v.AGENT_SESSION_HOURS,
      firstAdmin: v.ADMIN_EMAIL && v.ADMIN_PASSWORD ? { email: v.ADMIN_EMAIL, password: v.ADMIN_PASSWORD } : undefined,
    },
    publicUrl: v.PUBLIC_URL,
    shutdownGraceMs: v.SHUTDOWN_GRACE_SECONDS * 1000,
  };
  return deepFreeze(config);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** A service URL fit for a message: the password replaced by ***. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(not a URL)";
  }
}
