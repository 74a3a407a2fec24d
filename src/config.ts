import { z } from "zod";
import { AppError } from "./errors.ts";

/**
 * Every setting Kefu reads, from environment variables. This is the only module that reads
 * process.env (through loadConfig's argument); the rest of the code receives a frozen Config.
 */
const bool = z.enum(["true", "false", "1", "0"]).transform((value) => value === "true" || value === "1");
const list = z.string().transform((value) => value.split(",").map((item) => item.trim()).filter(Boolean));
const seconds = z.coerce.number().positive();

export const VARIABLES = {
  PORT: { schema: z.coerce.number().int().min(0).max(65535), default: "3000", doc: "HTTP and socket.io port (0 picks a free one)" },
  HOST: { schema: z.string().min(1), default: "0.0.0.0", doc: "Interface to listen on" },
  LOG_LEVEL: { schema: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]), default: "info", doc: "pino log level" },
  DATA_DIR: { schema: z.string().min(1), default: "./data", doc: "Folder for the SQLite databases and the vector index" },
  KNOWLEDGE_DIR: { schema: z.string().min(1), default: "./knowledge", doc: "Folder of catalog and FAQ files ingested at start-up" },
  KNOWLEDGE_WATCH: { schema: bool, default: "true", doc: "Pick up changes to KNOWLEDGE_DIR while running" },
  KNOWLEDGE_CHECK_ON_PUBLISH: { schema: bool, default: "false", doc: "Run the regression check before every API publish and refuse changes that lose answers (force overrides)" },
  DB_SYNCHRONOUS: { schema: z.enum(["full", "normal"]), default: "full", doc: "SQLite synchronous mode: full survives power loss, normal only process crashes" },
  ALLOWED_ORIGINS: { schema: list, default: "", doc: "Comma-separated origins allowed to embed the widget and open sockets besides the server's own; * allows any" },
  MAX_PAYLOAD_BYTES: { schema: z.coerce.number().int().min(1024).max(1_000_000), default: "65536", doc: "Largest socket.io frame accepted; bigger frames close that socket" },
  MAX_MESSAGE_CHARS: { schema: z.coerce.number().int().min(1).max(20_000), default: "2000", doc: "Longest shopper message; longer ones are refused with PAYLOAD_TOO_LARGE" },
  MESSAGES_PER_MINUTE: { schema: z.coerce.number().int().min(1), default: "20", doc: "Shopper messages allowed per conversation per minute" },
  EMBEDDER: { schema: z.enum(["hashing", "openai", "use"]), default: "hashing", doc: "hashing: offline, zh+en, no download; openai: any OpenAI-compatible embeddings API; use: offline Universal Sentence Encoder blended with hashing (optional @energetic-ai packages; better English retrieval, Chinese text is embedded by hashing alone; ingests ~20 passages/s, adds ~10 ms per query)" },
  EMBEDDING_BASE_URL: { schema: z.string().url().optional(), default: undefined, doc: "Embeddings API base URL (EMBEDDER=openai); defaults to LLM_BASE_URL" },
  EMBEDDING_API_KEY: { schema: z.string().optional(), default: undefined, doc: "Embeddings API key (EMBEDDER=openai); defaults to LLM_API_KEY" },
  EMBEDDING_MODEL: { schema: z.string().min(1), default: "text-embedding-3-small", doc: "Embeddings model name (EMBEDDER=openai)" },
  SHOPPING_NEW_DAYS: { schema: z.coerce.number().int().min(1).max(3650), default: "90", doc: "Days after its launch date a product counts as new (New badge, \"what's new\")" },
  SHOPPING_MAX_CARDS: { schema: z.coerce.number().int().min(1).max(20), default: "8", doc: "Most product cards in one shopping answer" },
  RETRIEVAL_TOP_K: { schema: z.coerce.number().int().min(1).max(50), default: "5", doc: "Passages handed to the answerer" },
  HNSW_EF: { schema: z.coerce.number().int().min(10).max(2000), default: "128", doc: "hnswlib search breadth (ef); higher is more exact and slower" },
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
  PUBLIC_URL: { schema: z.string().url().optional(), default: undefined, doc: "The server's public address, for links in webhooks" },
  SHUTDOWN_GRACE_SECONDS: { schema: seconds, default: "10", doc: "How long close() waits for answers in progress" },
  PRETTY_LOGS: { schema: bool, default: "false", doc: "Human-readable logs instead of JSON lines" },
} as const;

type Variables = typeof VARIABLES;
export type VariableName = keyof Variables;
type Values = { [K in VariableName]: z.output<Variables[K]["schema"]> };

export type Config = Readonly<{
  port: number;
  host: string;
  logLevel: string;
  prettyLogs: boolean;
  dataDir: string;
  knowledgeDir: string;
  knowledgeWatch: boolean;
  knowledgeCheckOnPublish: boolean;
  database: Readonly<{ synchronous: "full" | "normal" }>;
  limits: Readonly<{ allowedOrigins: readonly string[]; maxPayloadBytes: number; maxMessageChars: number; messagesPerMinute: number }>;
  embedding: Readonly<{ kind: "hashing" | "openai" | "use"; baseUrl: string | undefined; apiKey: string | undefined; model: string }>;
  retrieval: Readonly<{ topK: number; ef: number }>;
  shopping: Readonly<{ newDays: number; maxCards: number }>;
  llm: Readonly<{ baseUrl: string; apiKey: string; model: string; timeoutMs: number; maxRetries: number; temperature: number; maxTokens: number }> | undefined;
  handoff: Readonly<{ threshold: number; businessHours: string; timeZone: string; webhookUrl: string | undefined }>;
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
    database: { synchronous: v.DB_SYNCHRONOUS },
    limits: {
      allowedOrigins: v.ALLOWED_ORIGINS,
      maxPayloadBytes: v.MAX_PAYLOAD_BYTES,
      maxMessageChars: v.MAX_MESSAGE_CHARS,
      messagesPerMinute: v.MESSAGES_PER_MINUTE,
    },
    embedding: {
      kind: v.EMBEDDER,
      baseUrl: v.EMBEDDING_BASE_URL ?? v.LLM_BASE_URL,
      apiKey: v.EMBEDDING_API_KEY ?? v.LLM_API_KEY,
      model: v.EMBEDDING_MODEL,
    },
    retrieval: { topK: v.RETRIEVAL_TOP_K, ef: v.HNSW_EF },
    shopping: { newDays: v.SHOPPING_NEW_DAYS, maxCards: v.SHOPPING_MAX_CARDS },
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
    handoff: { threshold: v.HANDOFF_THRESHOLD, businessHours: v.BUSINESS_HOURS, timeZone: v.BUSINESS_TIMEZONE, webhookUrl: v.HANDOFF_WEBHOOK_URL },
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
