import { spawn } from "node:child_process";

const ROOT = new URL("../../", import.meta.url).pathname;

export type Run = { code: number | null; stdout: string; stderr: string };

/** Run `node <script> …` from the project root with only the environment given (no inherited settings). */
export function runScript(script: string, args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { cwd: ROOT, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Run the kefu command (`node src/cli.ts …`). */
export const runCli = (args: string[], env: Record<string, string>): Promise<Run> => runScript("src/cli.ts", args, env);
