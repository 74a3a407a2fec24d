import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Express } from "express";
import { Server } from "socket.io";
import { AgentAuth } from "./agents/agent-auth.ts";
import { AgentDesk } from "./agents/agent-desk.ts";
import { registerAgentGateway, type AgentNamespace } from "./agents/agent-gateway.ts";
import { ConnectionCredentials } from "./agents/handshake-credentials.ts";
import { createAgentRoutes } from "./agents/agent-routes.ts";
import { createKnowledgeRoutes } from "./agents/knowledge-routes.ts";
import { createRecommendationRoutes } from "./agents/recommendation-routes.ts";
import { registerHandoffWebhook } from "./agents/handoff-webhook.ts";
import type { Answerer, LlmCallGate } from "./answering/answerer.ts";
import { createChatModel } from "./answering/chat-model.ts";
import { ExtractiveAnswerer } from "./answering/extractive-answerer.ts";
import { LlmAnswerer } from "./answering/llm-answerer.ts";
import { registerChatGateway, type ChatNamespace } from "./chat/chat-gateway.ts";
import type { Config } from "./config.ts";
import { AgentAvailability } from "./conversations/agent-availability.ts";
import { ConversationService } from "./conversations/conversation-service.ts";
import type { ConversationStore } from "./conversations/conversation-store.ts";
import { EventHub } from "./conversations/event-hub.ts";
import { createHttpApp } from "./http/http-app.ts";
import { createOriginCheck } from "./http/origin-check.ts";
import { createWebRoutes } from "./http/web-routes.ts";
import { FolderSync } from "./knowledge/folder-sync.ts";
import { KnowledgeMirror } from "./knowledge/knowledge-mirror.ts";
import { readPublished } from "./knowledge/pg-knowledge-store.ts";
import { startSharedKnowledge } from "./knowledge/shared-knowledge.ts";
import { KnowledgeAdmin } from "./knowledge/knowledge-admin.ts";
import type { IngestReport, KnowledgeStore } from "./knowledge/knowledge-store.ts";
import { SqliteKnowledgeStore } from "./knowledge/sqlite-knowledge-store.ts";
import { WorkerKnowledgeStore } from "./knowledge/worker-knowledge-store.ts";
import { copyIndexCheckpoint } from "./retrieval/sqlite-passage-reader.ts";
import { WorkerPassageIndex } from "./retrieval/worker-passage-index.ts";
import type { TurnWorker } from "./conversations/turn-work.ts";
import type { Logger } from "./logger.ts";
import { DocumentProductCatalog } from "./catalog/product-catalog.ts";
import { openStores } from "./storage/open-stores.ts";
import { BotBudget } from "./limits/bot-budget.ts";
import { createChatGate } from "./limits/chat-gate.ts";
import { ClientAddresses, compileTrust } from "./limits/client-address.ts";
import { createLimiterFactory, type LimiterStore } from "./limits/limiters.ts";
import { ShopperLimits } from "./limits/shopper-limits.ts";
import { KefuMetrics } from "./metrics/metrics.ts";
import { createMetricsRoute } from "./metrics/metrics-route.ts";
import { createApiDocsRoute } from "./http/openapi.ts";
import { announceDrain } from "./realtime/drain.ts";
import { releaseUpgradeRequest } from "./realtime/release-upgrade-request.ts";
import { KnowledgeShoppingCatalog } from "./shopping/knowledge-catalog.ts";
import type { RecommendationRecorder } from "./shopping/recommendation-store.ts";
import { ShoppingAssistant } from "./shopping/shopping-assistant.ts";
import { CatalogFaqDrafts } from "./shopping/catalog-faq-drafts.ts";
import { LlmFaqDrafter, OfflineFaqDrafter } from "./shopping/faq-drafter.ts";
import { LocalCoordination, type Coordination } from "./coordination/coordination.ts";
import { connectRedis, RedisCoordination } from "./coordination/redis-coordination.ts";
import { useRedisAdapter } from "./realtime/redis-adapter.ts";

/** How often each of several servers looks for replies a dead server owes, and how old a message must be for that. */
const SWEEP_MS = 2_000;
const SWEEP_MIN_AGE_MS = 5_000;
import { createPrivacyRoutes } from "./privacy/privacy-routes.ts";
import { ShopperData } from "./privacy/shopper-data.ts";

export type AppOverrides = {
  answerer?: Answerer;
  conversationStore?: ConversationStore;
  /** Where rate-limit counters live (memory by default; a Redis client shares them between nodes). */
  limiterStore?: LimiterStore;
  clock?: () => Date;
  /** Where recommendation counts also go as they happen (besides the metrics). */
  recommendationRecorder?: RecommendationRecorder;
  /** The search workers' module (tests give one whose threads can be made to crash). */
  searchWorker?: URL;
  /** How bot turns reach the search workers (default: the pool itself; tests wrap it to crash its threads mid-turn). */
  turns?: (passages: WorkerPassageIndex) => TurnWorker;
};

export type App = {
  config: Config;
  httpServer: HttpServer;
  /** The express app behind httpServer (its routes are what /api/openapi.json describes). */
  httpApp: Express;
  io: Server;
  knowledge: KnowledgeStore;
  passages: WorkerPassageIndex;
  service: ConversationService;
  shopping: ShoppingAssistant;
  /** FAQ drafts from new and changed products, after each knowledge publish. */
  catalogDrafts: CatalogFaqDrafts;
  availability: AgentAvailability;
  agentAuth: AgentAuth;
  agentDesk: AgentDesk;
  knowledgeAdmin: KnowledgeAdmin;
  shopperData: ShopperData;
  folder: FolderSync;
  metrics: KefuMetrics;
  budget: BotBudget;
  /** Resolves with the first knowledge sync's report once the index can answer. */
  ready: Promise<IngestReport>;
  listen(): Promise<{ port: number; url: string }>;
  close(): Promise<void>;
};

/** The composition root: builds every part from config, wires them, and knows the order to close them in. */
/** Connections waiting to be accepted (Node's default is 511). */
const LISTEN_BACKLOG = 4096;

export async function createApp(options: { config: Config; logger: Logger; overrides?: AppOverrides }): Promise<App> {
  const { config, logger, overrides = {} } = options;
  const dataDir = resolve(config.dataDir);

  const stores = await openStores(config, logger, overrides.conversationStore ? { conversations: overrides.conversationStore } : {});
  const store = stores.conversations;
  // Knowledge is written in a thread of its own and searched by a pool of others: the event loop only relays.
  // Search workers follow each published version by themselves; a refresh after a publish spares the next shopper the catching up.
  // With Postgres the knowledge is shared: the writer thread publishes there, and DATA_DIR holds this server's copy for search.
  const shared = stores.postgres && config.database.url ? { databaseUrl: config.database.url, progressChannel: `kefu-knowledge-${randomUUID()}` } : undefined;
  // What else follows a publish of the serving knowledge (set once the parts exist).
  let afterPublish = (): void => undefined;
  const openKnowledge = async (directory: string, threads: number, serving: { sharedWith?: typeof shared } | undefined = undefined) => {
    const sharedWith = serving?.sharedWith;
    // The schema first (a few ms), so that the writer thread and the search workers start together.
    if (sharedWith && stores.postgres) await KnowledgeMirror.prepare({ dataDir: directory, synchronous: config.database.synchronous, published: await readPublished(stores.postgres), logger });
    else SqliteKnowledgeStore.prepare({ dataDir: directory, synchronous: config.database.synchronous });
    const passages = new WorkerPassageIndex({
      workerData: { dataDir: directory, embedding: config.embedding, logLevel: logger.level, ef: config.retrieval.ef, shape: { m: config.retrieval.m, efConstruction: config.retrieval.efConstruction } },
      threads,
      logger: logger.child({ module: "search" }),
      script: overrides.searchWorker,
    });
    const knowledge = await WorkerKnowledgeStore.open({
      workerData: { dataDir: directory, embedding: config.embedding, synchronous: config.database.synchronous, logLevel: logger.level, ...sharedWith },
      logger: logger.child({ module: "knowledge" }),
      onPublished: () => {
        void passages.refresh().catch((error: unknown) => logger.error({ err: error }, "search workers could not refresh"));
        if (serving) afterPublish();
      },
    }).catch(async (error: unknown) => {
      await passages.close();
      throw error;
    });
    return { knowledge, passages, close: async () => (await passages.close(), await knowledge.close()) };
  };
  const { knowledge, passages } = await openKnowledge(dataDir, config.retrieval.threads, shared ? { sharedWith: shared } : {});
  const folder = new FolderSync({ knowledge, directory: resolve(config.knowledgeDir), logger: logger.child({ module: "knowledge" }) });
  const sharedKnowledge = shared && stores.postgres
    ? startSharedKnowledge({ postgres: stores.postgres, knowledge, refreshSearch: () => passages.refresh(), folder, watch: config.knowledgeWatch, progressChannel: shared.progressChannel, logger: logger.child({ module: "knowledge" }) })
    : undefined;
  // Watching starts before the first read of the folder, so a change made while it is read is not missed.
  if (config.knowledgeWatch && !sharedKnowledge) folder.watch();
  const ready = sharedKnowledge?.ready ?? folder.syncNow().then(async (report) => (await passages.refresh(), report));
  let isReady = false;
  ready.then(
    () => (isReady = true),
    (error: unknown) => logger.fatal({ err: error }, "knowledge could not be loaded"),
  );

  const coordination: Coordination = config.redisUrl ? await RedisCoordination.connect(config.redisUrl, logger.child({ module: "coordination" })) : new LocalCoordination();
  const availability = new AgentAvailability({ businessHours: config.handoff.businessHours, timeZone: config.handoff.timeZone, presence: coordination.presence });
  const hub = new EventHub();
  hub.setMaxListeners(50);
  const metrics: KefuMetrics = new KefuMetrics({
    hub,
    sources: {
      // Read at scrape time only, once everything below exists.
      socketsByNamespace: (): Record<string, number> => ({ chat: io.of("/chat").sockets.size, agent: io.of("/agent").sockets.size }),
      queueLength: async (): Promise<number> => (await service.listQueue()).length,
      knowledgeVersion: () => knowledge.version(),
      botAnswers: (): { active: number; waiting: number } => ({ active: service.botQueue.running, waiting: service.botQueue.waiting }),
    },
  });
  // Limits are counted in Redis when the servers share one, so a client gains nothing by reaching several.
  const limitsRedis = !overrides.limiterStore && config.redisUrl ? await connectRedis(config.redisUrl, logger.child({ module: "limits" }), "limits") : undefined;
  const limiterFactory = createLimiterFactory(overrides.limiterStore ?? (limitsRedis ? { kind: "redis", client: limitsRedis, useRedisPackage: true } : { kind: "memory" }));
  const budget = new BotBudget(config.shopperLimits, limiterFactory, metrics);
  const recommendations = stores.recommendations;
  const shoppingCatalog = new KnowledgeShoppingCatalog(knowledge);
  const shopping = new ShoppingAssistant({
    catalog: shoppingCatalog,
    store: recommendations,
    settings: config.shopping,
    recorder: overrides.recommendationRecorder ?? metrics.recommendations,
    ...(overrides.clock ? { clock: overrides.clock } : {}),
  });
  const turns = overrides.turns?.(passages) ?? passages;
  const service = new ConversationService({
    shopping,
    store,
    hub,
    turns: { turn: (request) => metrics.timeRetrieval(() => turns.turn(request)) },
    catalog: new DocumentProductCatalog((id) => knowledge.getDocument(id)),
    answerer: overrides.answerer ?? createAnswerer(config, logger, metrics.measureLlmCalls(budget)),
    availability,
    budget,
    coordination,
    knowledgeReady: ready.then(() => undefined),
    limits: { maxMessageChars: config.limits.maxMessageChars, topK: config.retrieval.topK },
    botQueue: config.botQueue,
    handoff: { threshold: config.handoff.threshold, businessHours: config.handoff.businessHours },
    turnPhases: metrics,
    logger: logger.child({ module: "conversations" }),
    ...(overrides.clock ? { clock: overrides.clock } : {}),
  });

  const agentAuth = new AgentAuth({ store: stores.agents, sessionHours: config.agents.sessionHours, limiters: limiterFactory, ...(overrides.clock ? { clock: overrides.clock } : {}) });
  if (config.agents.firstAdmin) {
    const admin = await agentAuth.ensureFirstAdmin(config.agents.firstAdmin.email, config.agents.firstAdmin.password);
    if (admin) logger.info({ email: admin.email }, "first admin created");
  }
  const privacyStore = stores.privacy;
  const shopperData = new ShopperData({ store: privacyStore, sessions: agentAuth, retentionDays: config.privacy.retentionDays, logger: logger.child({ module: "privacy" }), ...(overrides.clock ? { clock: overrides.clock } : {}) });
  shopperData.schedule();
  const agentDesk = new AgentDesk({ store, hub, service, ...(overrides.clock ? { clock: overrides.clock } : {}) });
  const knowledgeAdmin = new KnowledgeAdmin({
    knowledge,
    passages,
    folder,
    curation: stores.curation,
    conversations: store,
    openCandidate: async (directory) => {
      await copyIndexCheckpoint(dataDir, directory);
      return openKnowledge(directory, 1);
    },
    topK: config.retrieval.topK,
    threshold: config.handoff.threshold,
    checkOnPublish: config.knowledgeCheckOnPublish,
    ...(overrides.clock ? { clock: overrides.clock } : {}),
  });
  const draftsLogger = logger.child({ module: "catalog-drafts" });
  const catalogDrafts = new CatalogFaqDrafts({
    catalog: shoppingCatalog,
    log: stores.catalogDraftLog,
    sink: {
      add: async (drafts) => (await knowledgeAdmin.createDrafts(drafts.map((draft) => ({ ...draft, conversationId: null })))).map((draft) => draft.id),
      withdraw: (ids) => knowledgeAdmin.withdrawDrafts(ids),
    },
    drafter: config.llm && config.shopping.catalogDrafts === "llm"
      ? new LlmFaqDrafter({ model: createChatModel(config.llm), timeoutMs: config.llm.timeoutMs, calls: metrics.measureLlmCalls(budget), logger: draftsLogger })
      : new OfflineFaqDrafter(),
    newDays: config.shopping.newDays,
    logger: draftsLogger,
    ...(overrides.clock ? { clock: overrides.clock } : {}),
  });
  const draftsOn = config.shopping.catalogDrafts !== "off";
  afterPublish = () => (shoppingCatalog.invalidate(), draftsOn && catalogDrafts.requestSync());
  if (draftsOn) void ready.then(() => catalogDrafts.requestSync(), () => undefined);
  const webhook = config.handoff.webhook
    ? registerHandoffWebhook({
        hub,
        ...config.handoff.webhook,
        publicUrl: config.publicUrl,
        summary: (id) => agentDesk.summary(id),
        logger: logger.child({ module: "webhook" }),
      })
    : undefined;

  const trustProxy = compileTrust(config.trustProxy);
  let draining = false;
  const httpApp = createHttpApp({
    isReady: () => isReady,
    isDraining: () => draining,
    botQueue: () => service.botQueue,
    knowledge,
    ...(sharedKnowledge ? { knowledgeStatus: () => sharedKnowledge.status() } : {}),
    trustProxy,
    publicUrl: config.publicUrl,
    routers: [
      createMetricsRoute({ registry: metrics.registry, token: config.metricsToken }),
      createApiDocsRoute(),
      createAgentRoutes({ auth: agentAuth, desk: agentDesk }),
      createKnowledgeRoutes({ auth: agentAuth, admin: knowledgeAdmin, knowledge }),
      createPrivacyRoutes({ auth: agentAuth, data: shopperData }),
      createRecommendationRoutes({ auth: agentAuth, shopping }),
      createWebRoutes({ webDir: fileURLToPath(new URL("../dist/web/", import.meta.url)), knowledgeDir: resolve(config.knowledgeDir), allowedOrigins: config.limits.allowedOrigins }),
    ],
    logger: logger.child({ module: "http" }),
  });
  const httpServer: HttpServer = createServer(httpApp);
  const io: Server = new Server(httpServer, {
    serveClient: false,
    maxHttpBufferSize: config.limits.maxPayloadBytes,
    perMessageDeflate: false,
    allowRequest: createOriginCheck(config.limits.allowedOrigins),
    cors: { origin: true, credentials: false },
  });
  const closeAdapter = config.redisUrl ? await useRedisAdapter(io, config.redisUrl, logger.child({ module: "fan-out" })) : undefined;
  // The handshake request is not needed after the connection is set up; dropping it (and emptying
  // the upgrade request engine.io keeps of a WebSocket) saves memory per socket. The client's
  // address (behind trusted proxies) is kept for per-IP limits, and the session cookie or bearer
  // token, with the Origin, for the /agent namespace to authenticate.
  const addresses = new ClientAddresses(trustProxy);
  const credentials = new ConnectionCredentials();
  io.engine.on("connection", (rawSocket: { request: IncomingMessage | null; transport: { name: string } }) => {
    if (rawSocket.request) {
      addresses.remember(rawSocket, rawSocket.request);
      credentials.remember(rawSocket, rawSocket.request.headers);
      releaseUpgradeRequest(rawSocket.request, rawSocket.transport.name);
    }
    rawSocket.request = null;
  });
  const gate = createChatGate(new ShopperLimits(config.shopperLimits, limiterFactory, metrics), metrics);
  registerChatGateway(io.of("/chat") as ChatNamespace, { service, hub, gate, addressOf: (socket) => addresses.of(socket), shopping, logger: logger.child({ module: "chat" }) });
  registerAgentGateway(io.of("/agent") as AgentNamespace, {
    auth: agentAuth,
    desk: agentDesk,
    hub,
    availability,
    coordination,
    credentialsOf: (socket) => credentials.of(socket.conn),
    publicUrl: config.publicUrl,
    logger: logger.child({ module: "agents" }),
  });

  ready
    .then(() => service.bot.recover())
    .then(() => {
      // Several servers: what a dead one left half-way is taken up by a live one within seconds.
      if (coordination.distributed) service.bot.sweepEvery(SWEEP_MS, SWEEP_MIN_AGE_MS);
    })
    .catch((error: unknown) => logger.error({ err: error }, "recovery of pending replies failed"));

  let closed: Promise<void> | undefined;
  return {
    config,
    httpServer,
    httpApp,
    io,
    knowledge,
    passages,
    service,
    shopping,
    availability,
    agentAuth,
    agentDesk,
    knowledgeAdmin,
    catalogDrafts,
    shopperData,
    folder,
    metrics,
    budget,
    ready,
    listen: () =>
      new Promise((resolveListen, rejectListen) => {
        httpServer.once("error", rejectListen);
        // A restart is met by every widget reconnecting within a second or two: a deep accept queue
        // (the kernel caps it at net.core.somaxconn) keeps their handshakes from being dropped and
        // retried a second later.
        httpServer.listen({ port: config.port, host: config.host, backlog: LISTEN_BACKLOG }, () => {
          const { port } = httpServer.address() as AddressInfo;
          const url = `http://${config.host === "0.0.0.0" ? "localhost" : config.host}:${port}`;
          logger.info({ url }, "listening");
          resolveListen({ port, url });
        });
      }),
    close: () =>
      (closed ??= (async () => {
        // Drain: refuse new connections and report not ready, tell clients to reconnect elsewhere, let
        // answers in progress finish within the grace period, then close every connection and storage.
        draining = true;
        httpServer.close();
        httpServer.closeIdleConnections();
        announceDrain(io, (conversationId) => service.bot.isAnswering(conversationId));
        await service.close(config.shutdownGraceMs);
        await io.close().catch(() => undefined);
        httpServer.closeAllConnections();
        await closeAdapter?.();
        await coordination.close();
        limitsRedis?.destroy();
        await sharedKnowledge?.close();
        await ready.catch(() => undefined);
        await catalogDrafts.idle();
        folder.close();
        shopperData.close();
        await webhook?.idle();
        await passages.close();
        await knowledge.close();
        await stores.close();
        logger.info("closed");
      })()),
  };
}

/** The LLM answerer when a model is configured, the extractive one otherwise. */
function createAnswerer(config: Config, logger: Logger, calls: LlmCallGate): Answerer {
  if (!config.llm) return new ExtractiveAnswerer();
  return new LlmAnswerer({
    model: createChatModel(config.llm),
    timeoutMs: config.llm.timeoutMs,
    maxRetries: config.llm.maxRetries,
    // "not-needed" is the placeholder for servers without keys, not a secret.
    secrets: [config.llm.apiKey, config.embedding.apiKey ?? ""].filter((secret) => secret !== "not-needed"),
    logger: logger.child({ module: "answering" }),
    calls,
  });
}
