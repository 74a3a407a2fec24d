import { spawn, type ChildProcess } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { findFreePort } from "./free-port.ts";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

export type ServerProcess = { url: string; child: ChildProcess; exited: Promise<number | null>; output: string[] };

/** `node src/main.ts` as a real child process on a free loopback port, resolved once /readyz says ready. */
export async function spawnServer(env: Record<string, string>): Promise<ServerProcess> {
  const port = await findFreePort();
  const child = spawn(process.execPath, ["src/main.ts"], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? "", PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "warn", DB_SYNCHRONOUS: "normal", KNOWLEDGE_WATCH: "false", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  child.stdout!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  for (let waited = 0; ; waited += 100) {
    if (child.exitCode !== null) throw new Error(`the server exited early:\n${output.join("")}`);
    if (waited > 30_000) {
      child.kill("SIGKILL");
      throw new Error(`the server was not ready in 30 s:\n${output.join("")}`);
    }
    const ready = await fetch(`${url}/readyz`).then((response) => response.status === 200, () => false);
    if (ready) return { url, child, exited, output };
    await sleep(100);
  }
}
