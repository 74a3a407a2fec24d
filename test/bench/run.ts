import { setMaxListeners } from "node:events";
import { parseArgs } from "node:util";
import { chatScenario } from "./chat-scenario.ts";
import { ingestScenario } from "./ingest-scenario.ts";
import { llmScenario } from "./llm-scenario.ts";
import { reconnectScenario } from "./reconnect-scenario.ts";
import { UsageError } from "./read-option.ts";
import type { BenchContext, OptionSpec, Scenario } from "./scenario.ts";

/**
 * `npm run bench -- <scenario> [flags]`: runs one benchmark scenario against a real server
 * process, prints its figures and one JSON line, and exits 0 only if nothing went wrong.
 * Every run is bounded by --timeout; Ctrl-C stops it cleanly. Never part of `npm test`.
 */
const SCENARIOS: readonly Scenario[] = [chatScenario, llmScenario, ingestScenario, reconnectScenario];

const COMMON_OPTIONS: Record<string, OptionSpec> = {
  timeout: { type: "string", value: "<s>", default: "120", description: "stop, report and fail after this many seconds" },
  help: { type: "boolean", short: "h", description: "show this help" },
};

/** Time the scenario gets to report and clean up after the timeout before the process is ended anyway. */
const GRACE_AFTER_TIMEOUT_MS = 30_000;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    console.log(generalHelp());
    return name === undefined ? 2 : 0;
  }
  const scenario = SCENARIOS.find((candidate) => candidate.name === name);
  if (!scenario) {
    console.error(`unknown scenario ${JSON.stringify(name)}\n\n${generalHelp()}`);
    return 2;
  }

  const options = { ...COMMON_OPTIONS, ...scenario.options };
  let values;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: Object.fromEntries(
        Object.entries(options).map(([key, spec]) => [
          key,
          { type: spec.type, ...(spec.multiple ? { multiple: true } : {}), ...(spec.short ? { short: spec.short } : {}), ...(spec.default ? { default: spec.default } : {}) },
        ]),
      ),
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${scenarioHelp(scenario)}`);
    return 2;
  }
  if (values.help) {
    console.log(scenarioHelp(scenario));
    return 0;
  }
  const timeoutSeconds = Number(values.timeout);
  if (!(timeoutSeconds > 0)) {
    console.error(`--timeout must be a positive number of seconds\n\n${scenarioHelp(scenario)}`);
    return 2;
  }

  const controller = new AbortController();
  // Every shopper waits on this one signal.
  setMaxListeners(0, controller.signal);
  const timeoutMs = timeoutSeconds * 1000;
  const deadline = performance.now() + timeoutMs;
  const timer = setTimeout(() => {
    console.error(`bench: global timeout of ${timeoutSeconds} s reached, stopping`);
    controller.abort(new Error("global timeout"));
  }, timeoutMs);
  const backstop = setTimeout(() => {
    console.error("bench: the scenario did not stop after the timeout; exiting");
    process.exit(3);
  }, timeoutMs + GRACE_AFTER_TIMEOUT_MS);
  backstop.unref();
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) process.exit(130); // second Ctrl-C: the exit handlers still kill the server
    interrupted = true;
    console.error(`bench: ${signal}, stopping (again to force)`);
    controller.abort(new Error(signal));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  const cleanups: (() => unknown)[] = [];
  const context: BenchContext = {
    signal: controller.signal,
    deadline,
    defer: (cleanup) => void cleanups.push(cleanup),
    progress: (message) => console.error(`bench: ${message}`),
  };
  try {
    const code = await scenario.run(values, context);
    return interrupted ? 130 : code;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${scenarioHelp(scenario)}`);
      return 2;
    }
    console.error(interrupted || controller.signal.aborted ? `bench: stopped (${String(controller.signal.reason)})` : error);
    return interrupted ? 130 : 1;
  } finally {
    clearTimeout(timer);
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        console.error("bench: cleanup failed:", error);
      }
    }
  }
}

function generalHelp(): string {
  const width = Math.max(...SCENARIOS.map((scenario) => scenario.name.length));
  return [
    "usage: npm run bench -- <scenario> [flags]",
    "       npm run bench -- <scenario> --help",
    "",
    "Runs the server as a child process on a free loopback port with a fresh data folder, drives it",
    "from this process, prints the figures and one JSON line, and exits non-zero on any error.",
    "",
    "scenarios:",
    ...SCENARIOS.map((scenario) => `  ${scenario.name.padEnd(width)}  ${scenario.summary}`),
    "",
    "common flags:",
    ...flagLines(COMMON_OPTIONS),
  ].join("\n");
}

function scenarioHelp(scenario: Scenario): string {
  return [`usage: npm run bench -- ${scenario.name} [flags]`, "", scenario.summary, "", "flags:", ...flagLines({ ...scenario.options, ...COMMON_OPTIONS })].join("\n");
}

function flagLines(options: Record<string, OptionSpec>): string[] {
  const labels = Object.entries(options).map(([key, spec]) => `${spec.short ? `-${spec.short}, ` : ""}--${key}${spec.value ? ` ${spec.value}` : ""}`);
  const width = Math.max(...labels.map((label) => label.length));
  return Object.values(options).map((spec, index) => `  ${labels[index]!.padEnd(width)}  ${spec.description}${spec.default ? ` (default ${spec.default})` : ""}`);
}

// Exit explicitly: a stray handle (a socket in a half-closed state) must never keep a finished bench alive.
process.exit(await main(process.argv.slice(2)));
