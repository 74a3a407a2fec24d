import { loadavg } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { io, type Socket } from "socket.io-client";
import { VARIABLES, type VariableName } from "../../src/config.ts";
import type { Ack } from "../../src/protocol/ack.ts";
import type { ChatClientEvents, ChatServerEvents } from "../../src/protocol/chat-events.ts";
import { megabytes, megabytesDelta, ms, quantiles, verdict } from "./format.ts";
import { summarize } from "./percentiles.ts";
import { readNumber, readStrings, UsageError } from "./read-option.ts";
import type { BenchContext, OptionValues, Scenario } from "./scenario.ts";
import { BENCH_LIMITS, startServerProcess } from "./start-server-process.ts";

type ChatSocket = Socket<ChatServerEvents, ChatClientEvents>;
/** Outcomes by kind: "ok", or the error code with the limit that refused it. */
type Tally = Map<string, number>;

const ADMIN = { email: "admin@hostile.test", password: "a long admin password" };
const NORMAL_SHOPPER_IP = "198.51.100.23";
const ACK_TIMEOUT_MS = 10_000;
/** Targets while the attack runs. */
const HEALTHZ_P99_MS = 200;
const SHOPPER_ACK_P99_MS = 500;
const RSS_GROWTH_MB = 200;

/**
 * One hostile client (one address) floods the server for a bounded time: more sockets than it may
 * open, a new conversation and a question per round trip on every socket it gets, contacts with
 * large messages, and logins with wrong passwords; meanwhile a normal shopper (another address,
 * via X-Forwarded-For from the trusted loopback proxy) chats and /healthz is polled. Prints what
 * got through, the limits that refused the rest, and whether health and the shopper's
 * acknowledgements stayed within budget. The server runs with its default limits.
 */
export const hostileScenario: Scenario = {
  name: "hostile",
  summary: "one client floods conversations, contacts and logins: what got through, /healthz and a normal shopper's ack latency",
  options: {
    duration: { type: "string", value: "<s>", default: "20", description: "how long the attack lasts" },
    sockets: { type: "string", value: "<n>", default: "400", description: "sockets the attacker tries to open (the default limit is 300 per address)" },
    flooders: { type: "string", value: "<n>", default: "40", description: "of those, sockets that start conversations and ask as fast as acks come back" },
    contacters: { type: "string", value: "<n>", default: "10", description: "sockets that leave contacts (1.9 KB each) as fast as acks come back" },
    logins: { type: "string", value: "<n>", default: "10", description: "concurrent login attempts with wrong passwords" },
    "server-env": { type: "string", multiple: true, value: "KEY=VALUE", description: "extra environment for the server, repeatable" },
  },
  run: runHostile,
};

async function runHostile(values: OptionValues, context: BenchContext): Promise<number> {
  const durationMs = readNumber(values, "duration", { min: 1 })! * 1000;
  const socketCount = readNumber(values, "sockets", { min: 1, integer: true })!;
  const flooders = readNumber(values, "flooders", { min: 0, integer: true })!;
  const contacters = readNumber(values, "contacters", { min: 0, integer: true })!;
  const logins = readNumber(values, "logins", { min: 0, integer: true })!;
  const env: Record<string, string> = { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password };
  for (const name of Object.keys(BENCH_LIMITS)) env[name] = VARIABLES[name as VariableName].default!;
  for (const pair of readStrings(values, "server-env")) {
    const at = pair.indexOf("=");
    if (at < 1) throw new UsageError(`--server-env takes KEY=VALUE, got ${JSON.stringify(pair)}`);
    env[pair.slice(0, at)] = pair.slice(at + 1);
  }
  const { signal, progress } = context;
  progress("starting the server with its default limits…");
  const server = await startServerProcess({ env, signal });
  context.defer(() => server.stop());
  const rssBefore = server.memory()?.rssBytes ?? null;

  progress(`opening ${socketCount} sockets from one address…`);
  const sockets: ChatSocket[] = [];
  context.defer(() => sockets.forEach((socket) => socket.close()));
  const connects: Tally = new Map();
  await Promise.all(Array.from({ length: socketCount }, async () => {
    const socket = await openSocket(server.url, connects);
    if (socket) sockets.push(socket);
  }));

  progress("measuring /healthz for 5 s before the attack…");
  const calmUntil = performance.now() + 5_000;
  const calm = summarize((await pollHealth(server.url, () => performance.now() < calmUntil && !signal.aborted)).latencies);

  progress(`attacking for ${durationMs / 1000} s…`);
  server.resetProbe();
  const until = performance.now() + durationMs;
  const running = () => performance.now() < until && !signal.aborted;
  const starts: Tally = new Map();
  const messages: Tally = new Map();
  const contacts: Tally = new Map();
  const loginStatuses: Tally = new Map();
  const outcomes: Tally = new Map();
  const reconnects: Tally = new Map();
  const watch = (socket: ChatSocket) =>
    socket.on("conversation-event", (event) => {
      if (event.type === "answer-end") count(outcomes, `answer:${event.status}`);
      if (event.type === "notice" && event.code === "bot-budget") count(outcomes, "bot-budget (offered a person)");
    });
  sockets.forEach(watch);
  // A flooder whose socket the server closes opens another at once (and keeps trying while refused).
  const reopen = async () => {
    const socket = await openSocket(server.url, reconnects);
    if (socket) {
      sockets.push(socket);
      watch(socket);
    }
    return socket;
  };
  const flooding = sockets.slice(0, flooders).map((socket) => flood(socket, reopen, running, starts, messages));
  const contacting = sockets.slice(flooders, flooders + contacters).map((socket) => leaveContacts(socket, running, starts, contacts));
  const loggingIn = Array.from({ length: logins }, (_, index) => loginFlood(server.url, index, running, loginStatuses));
  const health = pollHealth(server.url, running);
  const shopper = normalShopper(server.url, running);
  await Promise.all([...flooding, ...contacting, ...loggingIn]);
  const [healthMs, shopperReport] = await Promise.all([health, shopper]);

  const probe = await server.probe(10_000);
  const rssAfter = server.memory()?.rssBytes ?? null;
  const limitsHit = await scrapeLimits(server.url);
  const health2 = summarize(healthMs.latencies);
  const acks = summarize(shopperReport.acks);
  const serverCpu = probe ? (probe.cpuMicros.user + probe.cpuMicros.system) / 1000 / probe.elapsedMs : null;
  const growth = rssBefore !== null && rssAfter !== null ? rssAfter - rssBefore : null;
  const minutes = Math.ceil(durationMs / 60_000) + 1;
  const allowedMessages = Number(env.MESSAGES_PER_IP_PER_MINUTE) * minutes;
  const allowedStarts = Number(env.CONVERSATIONS_PER_IP_PER_MINUTE) * minutes;
  const acceptedMessages = messages.get("ok") ?? 0;
  const acceptedStarts = starts.get("ok") ?? 0;
  const checks = [
    [`/healthz p99 ≤ ${HEALTHZ_P99_MS} ms`, verdict(health2.p99, HEALTHZ_P99_MS)],
    [`normal shopper ack p99 ≤ ${SHOPPER_ACK_P99_MS} ms`, verdict(acks.p99, SHOPPER_ACK_P99_MS)],
    ["normal shopper: every message acknowledged", shopperReport.refused === 0 && acks.count > 0 ? "PASS" : "MISS"],
    [`server RSS growth ≤ ${RSS_GROWTH_MB} MB`, verdict(growth === null ? null : growth / 1024 / 1024, RSS_GROWTH_MB)],
    [`attacker messages ≤ ${allowedMessages} (per-IP limit)`, verdict(acceptedMessages, allowedMessages)],
    [`attacker new conversations ≤ ${allowedStarts} (per-IP limit)`, verdict(acceptedStarts, allowedStarts)],
  ] as const;
  const lines = [
    `hostile: one address for ${(durationMs / 1000).toFixed(0)} s (${flooders} flooding sockets, ${contacters} contact sockets, ${logins} login loops); load average ${loadavg()[0]!.toFixed(2)}`,
    `  sockets        ${tallyText(connects)}`,
    `  reconnects     ${tallyText(reconnects)} (flooders whose socket the server closed)`,
    `  conversations  ${tallyText(starts)}`,
    `  messages       ${tallyText(messages)}`,
    `  contacts       ${tallyText(contacts)}`,
    `  logins         ${tallyText(loginStatuses)}`,
    `  bot outcomes   ${tallyText(outcomes)}`,
    `  limits hit     ${JSON.stringify(limitsHit)}`,
    `  /healthz       ${quantiles(health2)}${healthMs.failures ? `, ${healthMs.failures} failed` : ""}; before the attack ${quantiles(calm, ["p50", "p99"])}`,
    `  shopper ack    ${quantiles(acks)}; answered ${shopperReport.answered}, refused ${shopperReport.refused}`,
    `  server         RSS ${megabytes(rssBefore)} → ${megabytes(rssAfter)} (${megabytesDelta(growth)}), event loop delay p99 ${ms(probe?.eventLoopDelayMs.p99)} max ${ms(probe?.eventLoopDelayMs.max)}, CPU ${serverCpu === null ? "?" : `${(serverCpu * 100).toFixed(0)}%`} of one core, log errors ${server.logs.errors}`,
    ...checks.map(([name, result]) => `  ${result.padEnd(4)} ${name}`),
  ];
  console.log(lines.join("\n"));
  console.log(JSON.stringify({ scenario: "hostile", durationMs, connects: Object.fromEntries(connects), reconnects: Object.fromEntries(reconnects), starts: Object.fromEntries(starts), messages: Object.fromEntries(messages), contacts: Object.fromEntries(contacts), logins: Object.fromEntries(loginStatuses), outcomes: Object.fromEntries(outcomes), limitsHit, healthzMs: health2, healthzBeforeMs: calm, serverCpuShareOfOneCore: serverCpu, shopperAckMs: acks, rssBefore, rssAfter, eventLoopDelayMs: probe?.eventLoopDelayMs ?? null, checks: Object.fromEntries(checks) }));
  return checks.every(([, result]) => result === "PASS") && server.logs.errors === 0 ? 0 : 1;
}

/** A socket on /chat from the bench's own address, its outcome counted; null when refused. */
async function openSocket(url: string, outcomes: Tally): Promise<ChatSocket | null> {
  const socket: ChatSocket = io(`${url}/chat`, { transports: ["websocket"], reconnection: false, forceNew: true });
  const outcome = await new Promise<string>((resolve) => {
    socket.once("connect", () => resolve("ok"));
    socket.once("connect_error", (error: Error & { data?: { code?: string; details?: { limit?: string } } }) => resolve(describe(error.data ?? { code: error.message })));
  });
  count(outcomes, outcome);
  if (outcome === "ok") return socket;
  socket.close();
  return null;
}

/**
 * A new conversation and a question per round trip, as fast as acks come back, ignoring refusals;
 * when the server closes the socket, another at once.
 */
async function flood(first: ChatSocket, reopen: () => Promise<ChatSocket | null>, running: () => boolean, starts: Tally, messages: Tally): Promise<void> {
  let round = 0;
  let socket: ChatSocket | null = first;
  while (running()) {
    if (!socket?.connected) {
      socket = await reopen();
      continue;
    }
    count(starts, outcomeOf(await ack(socket, "conversation-start", { locale: "en" })));
    if (!socket.connected) continue;
    count(messages, outcomeOf(await ack(socket, "message-send", { clientId: `${socket.id}-${round++}`, text: "How long does delivery take?" })));
  }
}

/** Contacts with a 1.9 KB message; a new conversation when this one takes no more. */
async function leaveContacts(socket: ChatSocket, running: () => boolean, starts: Tally, contacts: Tally): Promise<void> {
  const message = "Please call me back about my order. ".repeat(53);
  let needConversation = true;
  while (running() && socket.connected) {
    if (needConversation) {
      const started = outcomeOf(await ack(socket, "conversation-start", { locale: "en" }));
      count(starts, started);
      needConversation = started !== "ok";
      if (needConversation) continue;
    }
    const outcome = outcomeOf(await ack(socket, "contact-leave", { email: "flood@example.com", phone: "+86 138 0000 0000", message }));
    count(contacts, outcome);
    if (outcome.includes("contacts-per-conversation")) needConversation = true;
  }
}

async function loginFlood(url: string, index: number, running: () => boolean, statuses: Tally): Promise<void> {
  for (let attempt = 0; running(); attempt += 1) {
    const email = attempt % 2 === 0 ? ADMIN.email : `guess${index}-${attempt}@hostile.test`;
    try {
      const response = await fetch(`${url}/api/agent/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password: `wrong-${attempt}` }), signal: AbortSignal.timeout(ACK_TIMEOUT_MS) });
      await response.arrayBuffer();
      count(statuses, `HTTP ${response.status}`);
    } catch {
      count(statuses, "failed");
    }
  }
}

async function pollHealth(url: string, running: () => boolean): Promise<{ latencies: number[]; failures: number }> {
  const latencies: number[] = [];
  let failures = 0;
  while (running()) {
    const began = performance.now();
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(ACK_TIMEOUT_MS) });
      await response.arrayBuffer();
      if (response.ok) latencies.push(performance.now() - began);
      else failures += 1;
    } catch {
      failures += 1;
    }
    await sleep(100);
  }
  return { latencies, failures };
}

/** A shopper from another address asking a question every 4 s (within the per-conversation limit), timing each ack. */
async function normalShopper(url: string, running: () => boolean): Promise<{ acks: number[]; answered: number; refused: number }> {
  const socket: ChatSocket = io(`${url}/chat`, { transports: ["websocket"], reconnection: false, forceNew: true, extraHeaders: { "x-forwarded-for": NORMAL_SHOPPER_IP } });
  const report = { acks: [] as number[], answered: 0, refused: 0 };
  socket.on("conversation-event", (event) => {
    if (event.type === "answer-end" || (event.type === "state-changed" && event.state === "waiting")) report.answered += 1;
  });
  try {
    const started = await ack(socket, "conversation-start", { locale: "en" });
    if (!started?.ok) return { ...report, refused: 1 };
    for (let round = 0; running(); round += 1) {
      const began = performance.now();
      const response = await ack(socket, "message-send", { clientId: `normal-${round}`, text: round % 2 ? "Is shipping free?" : "How long does delivery take?" });
      if (response?.ok) report.acks.push(performance.now() - began);
      else report.refused += 1;
      await sleep(4_000);
    }
  } finally {
    socket.close();
  }
  return report;
}

async function ack(socket: ChatSocket, event: "conversation-start" | "message-send" | "contact-leave", payload: unknown): Promise<Ack<unknown> | null> {
  try {
    return (await (socket.timeout(ACK_TIMEOUT_MS) as unknown as { emitWithAck(name: string, body: unknown): Promise<Ack<unknown>> }).emitWithAck(event, payload));
  } catch {
    return null;
  }
}

function outcomeOf(response: Ack<unknown> | null): string {
  if (response === null) return "no ack";
  return response.ok ? "ok" : describe(response.error as { code?: string; details?: { limit?: string } });
}

function describe(error: { code?: string; details?: { limit?: string } | Record<string, unknown> }): string {
  const limit = (error.details as { limit?: string } | undefined)?.limit;
  return limit ? `${error.code} ${limit}` : String(error.code);
}

function count(tally: Tally, key: string): void {
  tally.set(key, (tally.get(key) ?? 0) + 1);
}

function tallyText(tally: Tally): string {
  const total = [...tally.values()].reduce((sum, value) => sum + value, 0);
  return `${total} tried: ${[...tally].sort((a, b) => b[1] - a[1]).map(([key, value]) => `${key} ${value}`).join(", ") || "none"}`;
}

async function scrapeLimits(url: string): Promise<Record<string, number>> {
  const text = await fetch(`${url}/metrics`).then((response) => response.text(), () => "");
  return Object.fromEntries([...text.matchAll(/^kefu_limits_hit_total\{limit="([^"]+)"\} (\d+)/gm)].map(([, limit, value]) => [limit!, Number(value)]));
}
