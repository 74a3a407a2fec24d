import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { findFreePort } from "./free-port.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

export type ServerNode = {
  url: string;
  child: ChildProcess;
  /** Output so far (stdout and stderr), for failure messages. */
  output(): string;
  /** The exit code once the process has ended (null when a signal ended it). */
  exited: Promise<number | null>;
  /** SIGKILL: the node dies at once, nothing is closed or flushed. */
  kill(): Promise<void>;
  stop(): Promise<void>;
};

/** A real server process (`node src/main.ts`) on a free loopback port with its own data folder, once /readyz says ready. */
export async function startServerNode(env: Record<string, string>, readyTimeoutMs = 60_000): Promise<ServerNode> {
  const port = await findFreePort();
  const root = await mkdtemp(join(tmpdir(), "kefu-node-"));
  const child = spawn(process.execPath, ["src/main.ts"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", PORT: String(port), HOST: "127.0.0.1", DATA_DIR: join(root, "data"), LOG_LEVEL: "warn", KNOWLEDGE_WATCH: "false", SHUTDOWN_GRACE_SECONDS: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${output}`);
    const ready = await fetch(`${url}/readyz`).then((response) => response.ok, () => false);
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`server not ready within ${readyTimeoutMs} ms: ${output}`);
    }
    await sleep(200);
  }
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
    await rm(root, { recursive: true, force: true });
  };
  return { url, child, exited, output: () => output, kill: () => end("SIGKILL"), stop: () => end("SIGTERM") };
}
