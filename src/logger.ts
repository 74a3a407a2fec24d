import { pino, type Logger } from "pino";

export type { Logger };

export function createLogger(options: { level: string; pretty?: boolean }): Logger {
  return pino({
    level: options.level,
    base: undefined,
    redact: { paths: ["*.apiKey", "*.password", "*.resumeToken", "*.token"], censor: "[redacted]" },
  });
}

/** A logger that writes nothing, for tests and tools. */
export function createSilentLogger(): Logger {
  return pino({ level: "silent" });
}
