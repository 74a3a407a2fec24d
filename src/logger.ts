import { pino, type DestinationStream, type Logger, type LoggerOptions } from "pino";
import { maskPersonalData, maskPersonalDataDeep } from "./privacy/mask-personal-data.ts";

export type { Logger };

export function createLogger(options: { level: string; pretty?: boolean; destination?: DestinationStream }): Logger {
  const settings: LoggerOptions = {
    level: options.level,
    base: undefined,
    redact: { paths: ["*.apiKey", "*.password", "*.resumeToken", "*.token"], censor: "[redacted]" },
    // Shoppers' personal data never reaches a log line, even inside an error message.
    serializers: { err: (error: Error) => maskPersonalDataDeep({ ...pino.stdSerializers.err(error) }) },
    formatters: { log: (record) => maskPersonalDataDeep(record) },
    hooks: {
      logMethod(args, method) {
        method.apply(this, args.map((arg) => (typeof arg === "string" ? maskPersonalData(arg) : arg)) as Parameters<typeof method>);
      },
    },
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

/** A logger that writes nothing, for tests and tools. */
export function createSilentLogger(): Logger {
  return pino({ level: "silent" });
}
