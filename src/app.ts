import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Server } from "socket.io";
import { AgentAuth } from "./agents/agent-auth.ts";
import { AgentDesk } from "./agents/agent-desk.ts";
import { registerAgentGateway, type AgentNamespace } from "./agents/agent-gateway.ts";
import { createAgentRoutes } from "./agents/agent-routes.ts";
import { createKnowledgeRoutes } from "./agents/knowledge-routes.ts";
import { createRecommendationRoutes } from "./agents/recommendation-routes.ts";
import { registerHandoffWebhook } from "./agents/handoff-webhook.ts";
import { SqliteAgentStore } from "./agents/sqlite-agent-store.ts";
import type { Answerer } from "./answering/answerer.ts";
import { createChatModel } from "./answering/chat-model.ts";
import { ExtractiveAnswerer } from "./answering/extractive-answerer.ts";
import { LlmAnswerer } from "./answering/llm-answerer.ts";
import { registerChatGateway, type ChatNamespace } from "./chat/chat-gateway.ts";
import type { Config } from "./config.ts";
import { AgentAvailability } from "./conversations/agent-availability.ts";
import { ConversationService } from "./conversations/conversation-service.ts";
import type { ConversationStore } from "./conversations/conversation-store.ts";
import { EventHub } from "./conversations/event-hub.ts";
import { SqliteConversationStore } from "./conversations/sqlite-conversation-store.ts";
import { createHttpApp } from "./http/http-app.ts";
import { createOriginCheck } from "./http/origin-check.ts";
import { createWebRoutes } from "./http/web-routes.ts";
import { KnowledgeBase, type IngestReport } from "./knowledge/knowledge-base.ts";
import { FolderSync } from "./knowledge/folder-sync.ts";
import { KnowledgeAdmin } from "./knowledge/knowledge-admin.ts";
import { SqliteCurationStore } from "./knowledge/sqlite-curation-store.ts";
import type { Logger } from "./logger.ts";
import { createEmbedder } from "./retrieval/create-embedder.ts";
import type { Embedder } from "./retrieval/embedder.ts";
import { DocumentProductCatalog } from "./catalog/product-catalog.ts";
import { Retriever } from "./retrieval/retriever.ts";
import { KnowledgeShoppingCatalog } from "./shopping/knowledge-catalog.ts";
import type { RecommendationRecorder } from "./shopping/recommendation-store.ts";
import { ShoppingAssistant } from "./shopping/shopping-assistant.ts";
import { SqliteRecommendationStore } from "./shopping/sqlite-recommendation-store.ts";

export type AppOverrides = {
  embedder?: Embedder;
  answerer?: Answerer;
  conversationStore?: ConversationStore;
  clock?: () => Date;
  /** Where recommendation counts also go as they happen (e.g. Prometheus counters). */
  recommendationRecorder?: RecommendationRecorder;
};

export type App = {
  config: Config;
  httpServer: HttpServer;
  io: Server;
  knowledge: KnowledgeBase;
  service: ConversationService;
  shopping: ShoppingAssistant;
  availability: AgentAvailability;
  agentAuth: AgentAuth;
  agentDesk: AgentDesk;
  knowledgeAdmin: KnowledgeAdmin;
  folder: FolderSync;
  /** Resolves with the first knowledge sync's report once the index can answer. */
  ready: Promise<IngestReport>;
  listen(): Promise<{ port: number; url: string }>;
  close(): Promise<void>;
};

/** The composition root: builds every part from config, wires them, and knows the order to close them in. */
export async function createApp(options: { config: Config; logger: Logger; overrides?: AppOverrides }): Promise<App> {
  const { config, logger, overrides = {} } = options;
  const dataDir = resolve(config.dataDir);

  const store = overrides.conversationStore ?? new SqliteConversationStore(join(dataDir, "kefu.db"), { synchronous: config.database.synchronous });
  const embedder = overrides.embedder ?? (await createEmbedder(config.embedding));
  const openKnowledge = (directory: string) =>
    KnowledgeBase.open({ dataDir: directory, embedder, ef: config.retrieval.ef, synchronous: config.database.synchronous, logger: logger.child({ module: "knowledge" }) });
  const knowledge = await openKnowledge(dataDir);
  const folder = new FolderSync({ knowledge, directory: resolve(config.knowledgeDir), logger: logger.child({ module: "knowledge" }) });
  const ready = folder.syncNow();
  if (config.knowledgeWatch) void ready.then(() => folder.watch(), () => undefined);
  let isReady = false;
  ready.then(
    () => (isReady = true),
    (error: unknown) => logger.fatal({ err: error }, "knowledge could not be loaded"),
  );

  const availability = new AgentAvailability({ businessHours: config.handoff.businessHours, timeZone: config.handoff.timeZone });
  const hub = new EventHub();
  hub.setMaxListeners(50);
  const recommendations = new SqliteRecommendationStore(join(dataDir, "shopping.db"), { synchronous: config.database.synchronous });
  const shopping = new ShoppingAssistant({
    catalog: new KnowledgeShoppingCatalog(knowledge),
    store: recommendations,
    settings: config.shopping,
    ...(overrides.recommendationRecorder ? { recorder: overrides.recommendationRecorder } : {}),
    ...(overrides.clock ? { clock: overrides.clock } : {}),
  });
  const service = new ConversationService({
    shopping,
    store,
    hub,
    retriever: new Retriever(knowledge),
    catalog: new DocumentProductCatalog((id) => knowledge.getDocument(id)),
    answerer: overrides.answerer ?? createAnswerer(config, logger),
    availability,
    knowledgeReady: ready.then(() => undefined),
    limits: { maxMessageChars: config.limits.maxMessageChars, messagesPerMinute: config.limits.messagesPerMinute, topK: config.retrieval.topK },
    handoff: { threshold: config.handoff.threshold, businessHours: config.handoff.businessHours },
    logger: logger.child({ module: "conversations" }),
    ...(overrides.clock ? { clock: overrides.clock } : {}),
  });

  const agentStore = new SqliteAgentStore(join(dataDir, "agents.db"), { synchronous: config.database.synchronous });
  const agentAuth = new AgentAuth({ store: agentStore, sessionHours: config.agents.sessionHours, ...(overrides.clock ? { clock: overrides.clock } : {}) });
  if (config.agents.firstAdmin) {
    const admin = await agentAuth.ensureFirstAdmin(config.agents.firstAdmin.email, config.agents.firstAdmin.password);
    if (admin) logger.info({ email: admin.email }, "first admin created");
  }
  const agentDesk = new AgentDesk({ store, hub, service, ...(overrides.clock ? { clock: overrides.clock } : {}) });
  const curation = new SqliteCurationStore(join(dataDir, "curation.db"), { synchronous: config.database.synchronous });
  const knowledgeAdmin = new KnowledgeAdmin({
    knowledge,
    folder,
    curation,
    conversations: store,
    openCandidate: openKnowledge,
    topK: config.retrieval.topK,
    threshold: config.handoff.threshold,
    checkOnPublish: config.knowledgeCheckOnPublish,
    ...(overrides.clock ? { clock: overrides.clock } : {}),
  });
  const webhook = config.handoff.webhookUrl
    ? registerHandoffWebhook({
        hub,
        url: config.handoff.webhookUrl,
        publicUrl: config.publicUrl,
        summary: async (id) => (await agentDesk.detail(id)).summary,
        logger: logger.child({ module: "webhook" }),
      })
    : undefined;

  const httpServer = createServer(
    createHttpApp({
      isReady: () => isReady,
      knowledge,
      routers: [
        createAgentRoutes({ auth: agentAuth, desk: agentDesk }),
        createKnowledgeRoutes({ auth: agentAuth, admin: knowledgeAdmin, knowledge }),
        createRecommendationRoutes({ auth: agentAuth, shopping }),
        createWebRoutes({ webDir: fileURLToPath(new URL("../dist/web/", import.meta.url)), knowledgeDir: resolve(config.knowledgeDir), allowedOrigins: config.limits.allowedOrigins }),
      ],
      logger: logger.child({ module: "http" }),
    }),
  );
  const io = new Server(httpServer, {
    serveClient: false,
    maxHttpBufferSize: config.limits.maxPayloadBytes,
    perMessageDeflate: false,
    allowRequest: createOriginCheck(config.limits.allowedOrigins),
    cors: { origin: true, credentials: false },
  });
  // The handshake request is not needed after the connection is set up; dropping it saves memory per socket.
  io.engine.on("connection", (rawSocket: { request: unknown }) => {
    rawSocket.request = null;
  });
  registerChatGateway(io.of("/chat") as ChatNamespace, { service, hub, shopping, logger: logger.child({ module: "chat" }) });
  registerAgentGateway(io.of("/agent") as AgentNamespace, { auth: agentAuth, desk: agentDesk, hub, availability, logger: logger.child({ module: "agents" }) });

  ready.then(() => service.recover()).catch((error: unknown) => logger.error({ err: error }, "recovery of pending replies failed"));

  let closed: Promise<void> | undefined;
  return {
    config,
    httpServer,
    io,
    knowledge,
    service,
    shopping,
    availability,
    agentAuth,
    agentDesk,
    knowledgeAdmin,
    folder,
    ready,
    listen: () =>
      new Promise((resolveListen, rejectListen) => {
        httpServer.once("error", rejectListen);
        httpServer.listen(config.port, config.host, () => {
          const { port } = httpServer.address() as AddressInfo;
          const url = `http://${config.host === "0.0.0.0" ? "localhost" : config.host}:${port}`;
          logger.info({ url }, "listening");
          resolveListen({ port, url });
        });
      }),
    close: () =>
      (closed ??= (async () => {
        // Stop taking new work, let answers in flight finish, then release storage.
        httpServer.closeIdleConnections();
        const sockets = io.close();
        await service.close(config.shutdownGraceMs);
        await sockets.catch(() => undefined);
        await ready.catch(() => undefined);
        folder.close();
        await webhook?.idle();
        await knowledge.close();
        await store.close();
        await recommendations.close();
        agentStore.close();
        curation.close();
        logger.info("closed");
      })()),
  };
}

/** The LLM answerer when a model is configured, the extractive one otherwise. */
function createAnswerer(config: Config, logger: Logger): Answerer {
  if (!config.llm) return new ExtractiveAnswerer();
  return new LlmAnswerer({
    model: createChatModel(config.llm),
    timeoutMs: config.llm.timeoutMs,
    maxRetries: config.llm.maxRetries,
    // "not-needed" is the placeholder for servers without keys, not a secret.
    secrets: [config.llm.apiKey, config.embedding.apiKey ?? ""].filter((secret) => secret !== "not-needed"),
    logger: logger.child({ module: "answering" }),
  });
}
