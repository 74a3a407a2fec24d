import { fork } from "node:child_process";
import { loadavg } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { io } from "socket.io-client";
import { VARIABLES, type VariableName } from "../../src/config.ts";
import { megabytes, megabytesDelta, ms, quantiles, verdict } from "./format.ts";
import type { AttackPlan, AttackResult } from "./hostile-attacker.ts";
import { ack, ACK_TIMEOUT_MS, tallyText, type ChatSocket } from "./hostile-clients.ts";
import { describeStalls, type HealthSample } from "./hostile-stalls.ts";
import { summarize } from "./percentiles.ts";
import { readNumber, readStrings, UsageError } from "./read-option.ts";
import type { BenchContext, OptionValues, Scenario } from "./scenario.ts";
import { BENCH_LIMITS, startServerProcess } from "./start-server-process.ts";

const ADMIN = { email: "admin@hostile.test", password: "a long admin password" };
const NORMAL_SHOPPER_IP = "198.51.100.23";
const ATTACKER = fileURLToPath(new URL("./hostile-attacker.ts", import.meta.url));
/** Targets while the attack runs. */
const HEALTHZ_P99_MS = 200;
const SHOPPER_ACK_P99_MS = 500;
const RSS_GROWTH_MB = 200;

/**
 * One hostile client (one address) floods the server for a bounded time: more sockets than it may
 * open, a new conversation and a question per round trip on every socket it gets, contacts with
 * large messages, logins with wrong passwords, and connect-and-disconnect loops. The attacker is
 * a process of its own at a low CPU priority (see hostile-attacker.ts: a real attacker is not on
 * the server's machine); this process, otherwise idle, meanwhile polls /healthz and plays a normal
 * shopper (another address, via X-Forwarded-For from the trusted loopback proxy), and the server's
 * probe records every event-loop stall and where the main thread's time went in it. Prints what got
 * through, the limits that refused the rest, and whether health and the shopper's acknowledgements
 * stayed within budget. The server runs with its default limits.
 */
export const hostileScenario: Scenario = {
  name: "hostile",
  summary: "one client floods connections, conversations, contacts and logins: what got through, /healthz and a normal shopper's ack latency",
  options: {
    duration: { type: "string", value: "<s>", default: "20", description: "how long the attack lasts" },
    sockets: { type: "string", value: "<n>", default: "400", description: "sockets the attacker tries to open (the default limit is 300 per address)" },
    flooders: { type: "string", value: "<n>", default: "40", description: "of those, sockets that start conversations and ask as fast as acks come back" },
    contacters: { type: "string", value: "<n>", default: "10", description: "sockets that leave contacts (1.9 KB each) as fast as acks come back" },
    logins: { type: "string", value: "<n>", default: "10", description: "concurrent login attempts with wrong passwords" },
    churners: { type: "string", value: "<n>", default: "20", description: "loops that connect and disconnect as fast as the server answers" },
    "attacker-nice": { type: "string", value: "<0-19>", default: "19", description: "CPU priority of the attacker process (19: lowest, as if on another machine; 0: the server's)" },
    "server-env": { type: "string", multiple: true, value: "KEY=VALUE", description: "extra environment for the server, repeatable" },
  },
  run: runHostile,
};

async function runHostile(values: OptionValues, context: BenchContext): Promise<number> {
  const durationMs = readNumber(values, "duration", { min: 1 })! * 1000;
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

  const plan: AttackPlan = {
    url: server.url,
    adminEmail: ADMIN.email,
    durationMs,
    sockets: readNumber(values, "sockets", { min: 1, integer: true })!,
    flooders: readNumber(values, "flooders", { min: 0, integer: true })!,
    contacters: readNumber(values, "contacters", { min: 0, integer: true })!,
    logins: readNumber(values, "logins", { min: 0, integer: true })!,
    churners: readNumber(values, "churners", { min: 0, integer: true })!,
    nice: Math.min(19, readNumber(values, "attacker-nice", { min: 0, integer: true })!),
  };
  progress(`starting the attacker process, opening ${plan.sockets} sockets from one address…`);
  const attacker = fork(ATTACKER, [JSON.stringify(plan)], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  context.defer(() => attacker.kill("SIGKILL"));
  const message = (type: string) =>
    new Promise<{ result?: AttackResult }>((resolve, reject) => {
      const onMessage = (received: { type?: string; result?: AttackResult }) => {
        if (received?.type !== type) return;
        attacker.off("message", onMessage).off("exit", onExit);
        resolve(received);
      };
      const onExit = (code: number | null) => reject(new Error(`the attacker process exited (${code}) before "${type}"`));
      attacker.on("message", onMessage).once("exit", onExit);
    });
  await message("ready");

  progress("measuring /healthz for 5 s before the attack…");
  const calmUntil = performance.now() + 5_000;
  const calm = summarize((await pollHealth(server.url, () => performance.now() < calmUntil && !signal.aborted)).samples.map((sample) => sample.ms));

  progress(`attacking for ${durationMs / 1000} s…`);
  server.resetProbe();
  const done = message("done");
  attacker.send("attack");
  const until = performance.now() + durationMs;
  const running = () => performance.now() < until && !signal.aborted;
  const [health, shopperReport, { result }] = await Promise.all([pollHealth(server.url, running), normalShopper(server.url, running), done]);
  const { tallies } = result!;

  const probe = await server.probe(10_000);
  const rssAfter = server.memory()?.rssBytes ?? null;
  const limitsHit = await scrapeLimits(server.url);
  const healthMs = summarize(health.samples.map((sample) => sample.ms));
  const acks = summarize(shopperReport.acks);
  const serverCpu = probe ? (probe.cpuMicros.user + probe.cpuMicros.system) / 1000 / probe.elapsedMs : null;
  const growth = rssBefore !== null && rssAfter !== null ? rssAfter - rssBefore : null;
  const minutes = Math.ceil(durationMs / 60_000) + 1;
  const allowed = (name: VariableName) => Number(env[name]) * minutes;
  const ok = (tally: Record<string, number>) => tally.ok ?? 0;
  const opened = ok(tallies.connects) + ok(tallies.reconnects) + ok(tallies.churn);
  const tried = (tally: Record<string, number>) => Object.values(tally).reduce((sum, value) => sum + value, 0);
  const text = (tally: Record<string, number>) => tallyText(new Map(Object.entries(tally)));
  const stalls = probe ? describeStalls(probe.stalls, health.samples) : null;
  const checks = [
    [`/healthz p99 ≤ ${HEALTHZ_P99_MS} ms`, verdict(healthMs.p99, HEALTHZ_P99_MS)],
    [`normal shopper ack p99 ≤ ${SHOPPER_ACK_P99_MS} ms`, verdict(acks.p99, SHOPPER_ACK_P99_MS)],
    ["normal shopper: every message acknowledged", shopperReport.refused === 0 && acks.count > 0 ? "PASS" : "MISS"],
    [`server RSS growth ≤ ${RSS_GROWTH_MB} MB`, verdict(growth === null ? null : growth / 1024 / 1024, RSS_GROWTH_MB)],
    [`attacker sockets opened ≤ ${allowed("CONNECTIONS_PER_IP_PER_MINUTE")} (per-IP connection rate)`, verdict(opened, allowed("CONNECTIONS_PER_IP_PER_MINUTE"))],
    [`attacker messages ≤ ${allowed("MESSAGES_PER_IP_PER_MINUTE")} (per-IP limit)`, verdict(ok(tallies.messages), allowed("MESSAGES_PER_IP_PER_MINUTE"))],
    [`attacker new conversations ≤ ${allowed("CONVERSATIONS_PER_IP_PER_MINUTE")} (per-IP limit)`, verdict(ok(tallies.starts), allowed("CONVERSATIONS_PER_IP_PER_MINUTE"))],
  ] as const;
  const lines = [
    `hostile: one address for ${(durationMs / 1000).toFixed(0)} s (${plan.flooders} flooding sockets, ${plan.contacters} contact sockets, ${plan.logins} login loops, ${plan.churners} connect-and-disconnect loops); load average ${loadavg().map((value) => value.toFixed(2)).join(" ")}`,
    `  attacker       a process of its own at nice ${result!.nice ?? "?"}${result!.nice !== plan.nice ? ` (asked for ${plan.nice})` : ""} (a real attacker is not on the server's machine), CPU ${((result!.cpuMs / result!.elapsedMs) * 100).toFixed(0)}% of one core`,
    `  sockets        ${text(tallies.connects)}`,
    `  reconnects     ${text(tallies.reconnects)} (flooders whose socket the server closed)`,
    `  churn          ${text(tallies.churn)} (${(tried(tallies.churn) / (durationMs / 1000)).toFixed(0)}/s, connect and disconnect)`,
    `  conversations  ${text(tallies.starts)}`,
    `  messages       ${text(tallies.messages)}`,
    `  contacts       ${text(tallies.contacts)}`,
    `  logins         ${text(tallies.logins)}`,
    `  bot outcomes   ${text(tallies.outcomes)}`,
    `  limits hit     ${JSON.stringify(limitsHit)}`,
    `  /healthz       ${quantiles(healthMs)}${health.failures ? `, ${health.failures} failed` : ""}; before the attack ${quantiles(calm, ["p50", "p99"])} (polled from the bench process, which does nothing else)`,
    `  shopper ack    ${quantiles(acks)}; answered ${shopperReport.answered}, refused ${shopperReport.refused}`,
    `  server         RSS ${megabytes(rssBefore)} → ${megabytes(rssAfter)} (${megabytesDelta(growth)}), event loop delay p99 ${ms(probe?.eventLoopDelayMs.p99)} max ${ms(probe?.eventLoopDelayMs.max)}, CPU ${serverCpu === null ? "?" : `${(serverCpu * 100).toFixed(0)}%`} of one core, log errors ${server.logs.errors}`,
    ...(stalls ? [`  loop stalls    ${stalls.stalls}`, `  slow /healthz  ${stalls.slowHealth}`] : []),
    ...checks.map(([name, outcome]) => `  ${outcome.padEnd(4)} ${name}`),
  ];
  console.log(lines.join("\n"));
  console.log(JSON.stringify({ scenario: "hostile", durationMs, loadAverage: loadavg(), attacker: { nice: result!.nice, cpuMs: result!.cpuMs }, ...tallies, limitsHit, healthzMs: healthMs, healthzBeforeMs: calm, serverCpuShareOfOneCore: serverCpu, shopperAckMs: acks, rssBefore, rssAfter, eventLoopDelayMs: probe?.eventLoopDelayMs ?? null, stalls: stalls?.figures ?? null, checks: Object.fromEntries(checks) }));
  return checks.every(([, outcome]) => outcome === "PASS") && server.logs.errors === 0 ? 0 : 1;
}

async function pollHealth(url: string, running: () => boolean): Promise<{ samples: HealthSample[]; failures: number }> {
  const samples: HealthSample[] = [];
  let failures = 0;
  while (running()) {
    const began = performance.now();
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(ACK_TIMEOUT_MS) });
      await response.arrayBuffer();
      if (response.ok) samples.push({ startedAt: performance.timeOrigin + began, ms: performance.now() - began });
      else failures += 1;
    } catch {
      failures += 1;
    }
    await sleep(100);
  }
  return { samples, failures };
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

async function scrapeLimits(url: string): Promise<Record<string, number>> {
  const text = await fetch(`${url}/metrics`).then((response) => response.text(), () => "");
  return Object.fromEntries([...text.matchAll(/^kefu_limits_hit_total\{limit="([^"]+)"\} (\d+)/gm)].map(([, limit, value]) => [limit!, Number(value)]));
}
