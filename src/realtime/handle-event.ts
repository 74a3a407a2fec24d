import type { z } from "zod";
import { AppError, toAppError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import type { Ack } from "../protocol/ack.ts";

/**
 * Wrap a socket event handler: parse the payload with its schema, run the handler, and answer the
 * ack with data or a coded error. Nothing a client sends can become an unhandled rejection.
 */
export function handle<S extends z.ZodType, T>(
  logger: Logger,
  event: string,
  schema: S,
  handler: (payload: z.output<S>) => Promise<T>,
): (...args: unknown[]) => void {
  return (...args: unknown[]) => {
    const last = args.at(-1);
    const ack = typeof last === "function" ? (last as (response: Ack<T>) => void) : undefined;
    const respond = (response: Ack<T>) => {
      try {
        ack?.(response);
      } catch (error) {
        logger.warn({ err: error, event }, "ack failed");
      }
    };
    const run = async () => {
      const parsed = schema.safeParse(args.length > (ack ? 1 : 0) ? args[0] : undefined);
      if (!parsed.success) {
        const detail = parsed.error.issues.map((issue) => `${issue.path.join(".") || "payload"}: ${issue.message}`).join("; ");
        throw new AppError("BAD_REQUEST", `Invalid ${event} payload: ${detail}`);
      }
      return handler(parsed.data);
    };
    run().then(
      (data) => respond({ ok: true, data }),
      (error: unknown) => {
        const appError = toAppError(error);
        if (appError.code === "INTERNAL") logger.error({ err: error, event }, "handler failed");
        respond({ ok: false, error: { code: appError.code, message: appError.message, ...(appError.details ? { details: appError.details } : {}) } });
      },
    );
  };
}
