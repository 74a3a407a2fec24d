import { getPriority, setPriority } from "node:os";
import { churn, count, flood, leaveContacts, loginFlood, openSocket, type ChatSocket, type Tally } from "./hostile-clients.ts";

/**
 * The hostile bench's attacker, a process of its own (forked by hostile-scenario.ts, plan as JSON in
 * argv): one address that holds as many sockets as it may, floods conversations and questions,
 * contacts and logins, and connects and disconnects in a loop. In a real deployment the attacker
 * is not on the server's machine, so it runs at a low CPU priority (plan.nice, 19 by default): on a
 * machine of two cores it then takes what the server leaves, instead of halving the server's share.
 * What it sends is the same at any priority.
 *
 * Messages: it sends { type: "ready" } once its sockets are open, waits for "attack", then sends
 * { type: "done", result } after plan.durationMs and exits.
 */
export type AttackPlan = {
  url: string;
  adminEmail: string;
  durationMs: number;
  sockets: number;
  flooders: number;
  contacters: number;
  logins: number;
  churners: number;
  /** The attacker's CPU priority, 0 (as the server) to 19 (lowest). */
  nice: number;
};

export type AttackResult = {
  nice: number | null;
  /** CPU time of the attacker over the attack, and the attack's length. */
  cpuMs: number;
  elapsedMs: number;
  tallies: Record<"connects" | "reconnects" | "churn" | "starts" | "messages" | "contacts" | "logins" | "outcomes", Record<string, number>>;
};

const plan = JSON.parse(process.argv[2] ?? "{}") as AttackPlan;
let nice: number | null = null;
try {
  setPriority(plan.nice);
} catch {
  // Raising one's own priority needs privileges: keep the one inherited, and say which it is.
}
try {
  nice = getPriority();
} catch {
  nice = null;
}

const tallies = { connects: new Map(), reconnects: new Map(), churn: new Map(), starts: new Map(), messages: new Map(), contacts: new Map(), logins: new Map(), outcomes: new Map() } satisfies Record<keyof AttackResult["tallies"], Tally>;
const sockets: ChatSocket[] = [];
const watch = (socket: ChatSocket) => {
  sockets.push(socket);
  socket.on("conversation-event", (event) => {
    if (event.type === "answer-end") count(tallies.outcomes, `answer:${event.status}`);
    if (event.type === "notice" && event.code === "bot-budget") count(tallies.outcomes, "bot-budget (offered a person)");
  });
};

await Promise.all(Array.from({ length: plan.sockets }, async () => {
  const socket = await openSocket(plan.url, tallies.connects);
  if (socket) watch(socket);
}));
const held = [...sockets];
process.send?.({ type: "ready" });
await new Promise<void>((resolve) => process.once("message", () => resolve()));

const began = performance.now();
const cpuBefore = process.cpuUsage();
const until = began + plan.durationMs;
const running = () => performance.now() < until;
// A flooder whose socket the server closes opens another at once (and keeps trying while refused).
const reopen = async () => {
  const socket = await openSocket(plan.url, tallies.reconnects);
  if (socket) watch(socket);
  return socket;
};
await Promise.all([
  ...held.slice(0, plan.flooders).map((socket) => flood(socket, reopen, running, tallies.starts, tallies.messages)),
  ...held.slice(plan.flooders, plan.flooders + plan.contacters).map((socket) => leaveContacts(socket, running, tallies.starts, tallies.contacts)),
  ...Array.from({ length: plan.logins }, (_, index) => loginFlood(plan.url, plan.adminEmail, index, running, tallies.logins)),
  ...Array.from({ length: plan.churners }, () => churn(plan.url, running, tallies.churn)),
]);
const cpu = process.cpuUsage(cpuBefore);
const result: AttackResult = {
  nice,
  cpuMs: (cpu.user + cpu.system) / 1000,
  elapsedMs: performance.now() - began,
  tallies: Object.fromEntries(Object.entries(tallies).map(([name, tally]) => [name, Object.fromEntries(tally)])) as AttackResult["tallies"],
};
for (const socket of sockets) socket.close();
process.send?.({ type: "done", result }, () => process.exit(0));
