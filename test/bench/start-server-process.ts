import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { findFreePort } from "../support/free-port.ts";
import { readProcessMemory, type ProcessMemory } from "./read-process-memory.ts";
import type { ProbeReport } from "./server-probe.ts";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const PROBE = new URL("./server-probe.ts", import.meta.url).href;
const LOG_TAIL_LINES = 20;
const SERVER_SCRIPT = "src/main.ts";
const UNLIMITED = "1000000";
export const BENCH_LIMITS: Record<string, string> = {
  MESSAGES_PER_MINUTE: UNLIMITED,
  SOCKETS_PER_IP: UNLIMITED,
  CONNECTIONS_PER_IP_PER_MINUTE: UNLIMITED,
  CONVERSATIONS_PER_IP_PER_MINUTE: UNLIMITED,
  MESSAGES_PER_IP_PER_MINUTE: UNLIMITED,
  EVENTS_PER_IP_PER_MINUTE: UNLIMITED,
  EVENTS_PER_CONVERSATION_PER_MINUTE: UNLIMITED,
  ANSWERS_PER_MINUTE: UNLIMITED,
  LLM_TOKENS_PER_DAY: "0",
};

export type ServerLogs = { warnings: number; errors: number; tail: string[] };

export type ServerProcess = {
  url: string;
  port: number;
  dataDir: string;
  pid: number;
  knowledgeDir: string;
  passages: number | null;
  startupMs: number;
  logs: ServerLogs;
  memory(): ProcessMemory | null;
  /** Restart the probe's event-loop histogram and CPU baseline (start of a measured phase). */
  resetProbe(): void;
  /** Event-loop delay, memory and CPU since the last reset; gc: false skips the full collection (mid-run reads). */
  probe(timeoutMs?: number, options?: { gc?: boolean }): Promise<ProbeReport | null>;
  /** SIGTERM, SIGKILL after a grace period; the data folder stays (for a restart on it). Safe to call twice. */
  end(): Promise<void>;
  /** end(), then remove the data folder (unless it was reused from another server). Safe to call twice. */
  stop(): Promise<void>;
};

/**
 * Run the real server (`node src/main.ts`) as a child process on a free loopback port with a fresh
 * data folder, and resolve once /readyz answers 200. The child gets an explicit environment (not
 * the bench's), so nothing in the caller's shell changes what is measured; env overrides win.
 */
export async function startServerProcess(options: {
  env?: Record<string, string>;
  nodeArgs?: string[];
  signal: AbortSignal;
  readyTimeoutMs?: number;
  /** The server to run (default src/main.ts; test/bench/floor-server.ts for the floor). */
  script?: string;
  /** Run on this data folder (and port, if given: a restart of an earlier server); the folder is then left for the caller. */
  reuse?: { port?: number; dataDir: string };
  /** Called with every JSON log record the server writes (pino, on stdout). */
  onLog?: (record: Record<string, unknown>) => void;
}): Promise<ServerProcess> {
  const began = performance.now();
  const port = options.reuse?.port ?? (await findFreePort());
  const root = options.reuse ? null : await mkdtemp(join(tmpdir(), "kefu-bench-"));
  const dataDir = options.reuse?.dataDir ?? join(root!, "data");
  const knowledgeDir = await pickKnowledgeDir();
  const env: Record<string, string> = {
    PORT: String(port),
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    KNOWLEDGE_DIR: knowledgeDir,
    LOG_LEVEL: "warn",
    // The bench measures the server, not its abuse limits: its shoppers all come from one address
    // (the hostile scenario puts the defaults back).
    ...BENCH_LIMITS,
    SHUTDOWN_GRACE_SECONDS: "2",
    ...options.env,
  };
  const script = options.script ?? SERVER_SCRIPT;
  const runtimeFlags = script === SERVER_SCRIPT ? startFlags() : [];
  const child = spawn(process.execPath, ["--expose-gc", "--import", PROBE, ...runtimeFlags, ...(options.nodeArgs ?? []), script], {
    cwd: REPO_ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  // Whatever happens to the bench (uncaught error, process.exit), the server must not outlive it.
  const killNow = () => child.kill("SIGKILL");
  process.on("exit", killNow);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code, signal) => resolve(code ?? (signal ? -1 : null))));
  const logs = collectLogs(child, options.onLog);

  let ending: Promise<void> | undefined;
  const end = () =>
    (ending ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        // A profiled server writes its profile on the way out: give a large one time to.
        const timer = setTimeout(() => child.kill("SIGKILL"), options.nodeArgs?.includes("--cpu-prof") ? 120_000 : 10_000);
        await exited;
        clearTimeout(timer);
      }
      process.off("exit", killNow);
    })());
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await end();
      if (root) await rm(root, { recursive: true, force: true });
    })());

  const url = `http://127.0.0.1:${port}`;
  try {
    const passages = await waitUntilReady(url, exited, logs, options.signal, options.readyTimeoutMs ?? 60_000);
    return {
      url,
      port,
      dataDir,
      pid: child.pid!,
      knowledgeDir,
      passages,
      startupMs: performance.now() - began,
      logs,
      memory: () => readProcessMemory(child.pid!),
      resetProbe: () => void child.send("probe:reset"),
      probe: (timeoutMs = 10_000, probeOptions = {}) => requestProbe(child, timeoutMs, probeOptions.gc ?? true),
      end,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * The Node flags of `npm start` (package.json), so that the bench measures the server as it is run
 * (its young-generation size, for one, shows in every memory figure).
 */
function startFlags(): string[] {
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { scripts?: { start?: string } };
  const words = (manifest.scripts?.start ?? "").split(/\s+/);
  return words.slice(words.indexOf("node") + 1, words.indexOf(SERVER_SCRIPT)).filter((word) => word.startsWith("--"));
}

/** The sample store in knowledge/, or the small test fixture while knowledge/ has no files yet. */
async function pickKnowledgeDir(): Promise<string> {
  const sample = join(REPO_ROOT, "knowledge");
  const entries = await readdir(sample, { recursive: true }).catch(() => [] as string[]);
  const hasKnowledge = entries.some((entry) => {
    const lower = entry.toLowerCase();
    return !lower.endsWith("readme.md") && [".md", ".csv", ".jsonl", ".ndjson"].includes(extname(lower));
  });
  return hasKnowledge ? sample : join(REPO_ROOT, "test", "fixtures", "knowledge");
}

/** pino JSON lines on stdout: count warnings and errors and keep the last lines for the report. */
function collectLogs(child: ChildProcess, onLog?: (record: Record<string, unknown>) => void): ServerLogs {
  const logs: ServerLogs = { warnings: 0, errors: 0, tail: [] };
  const keep = (line: string) => {
    logs.tail.push(line);
    if (logs.tail.length > LOG_TAIL_LINES) logs.tail.shift();
  };
  createInterface({ input: child.stdout! }).on("line", (line) => {
    let level = 0;
    try {
      const record = JSON.parse(line) as Record<string, unknown>;
      level = Number(record.level) || 0;
      onLog?.(record);
    } catch {
      // Not a log record (e.g. the "running at" banner).
    }
    if (level >= 50) logs.errors += 1;
    else if (level >= 40) logs.warnings += 1;
    keep(line);
  });
  createInterface({ input: child.stderr! }).on("line", keep);
  return logs;
}

async function waitUntilReady(url: string, exited: Promise<number | null>, logs: ServerLogs, signal: AbortSignal, timeoutMs: number): Promise<number | null> {
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  const giveUpAt = performance.now() + timeoutMs;
  while (true) {
    signal.throwIfAborted();
    if (exitCode !== undefined) throw new Error(`the server exited with code ${exitCode} before it was ready:\n  ${logs.tail.join("\n  ")}`);
    if (performance.now() > giveUpAt) throw new Error(`the server was not ready within ${timeoutMs} ms:\n  ${logs.tail.join("\n  ")}`);
    try {
      const response = await fetch(`${url}/readyz`, { signal: AbortSignal.any([signal, AbortSignal.timeout(2_000)]) });
      const body = (await response.json()) as { passages?: number };
      if (response.status === 200) return typeof body.passages === "number" ? body.passages : null;
    } catch {
      // Not listening yet.
    }
    // Asked often, so that "ready" is seen within a few ms of being true (the reconnect storm is timed from it).
    await sleep(20, undefined, { signal }).catch(() => undefined);
  }
}

function requestProbe(child: ChildProcess, timeoutMs: number, gc: boolean): Promise<ProbeReport | null> {
  if (!child.connected) return Promise.resolve(null);
  return new Promise((resolve) => {
    const onMessage = (message: unknown) => {
      const typed = message as { type?: string; report?: ProbeReport };
      if (typed?.type !== "probe:report" || !typed.report) return;
      done(typed.report);
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    const done = (report: ProbeReport | null) => {
      clearTimeout(timer);
      child.off("message", onMessage);
      resolve(report);
    };
    child.on("message", onMessage);
    child.send(gc ? "probe:report" : "probe:report-light");
  });
}
