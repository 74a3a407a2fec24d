import { spawn } from "node:child_process";

const ROOT = new URL("../../", import.meta.url).pathname;

export type CliRun = { code: number | null; stdout: string; stderr: string };

/** Run `node src/cli.ts …` from the project root with only the environment given (no inherited settings). */
export function runCli(args: string[], env: Record<string, string>): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["src/cli.ts", ...args], { cwd: ROOT, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
