import type { ErrorRequestHandler } from "express";
import { type ErrorCode, toAppError } from "../errors.ts";
import type { Logger } from "../logger.ts";

const STATUS: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  PAYLOAD_TOO_LARGE: 413,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  INVALID_STATE: 409,
  LLM_UNAVAILABLE: 503,
  INDEX_NOT_READY: 503,
  SEARCH_UNAVAILABLE: 503,
  KNOWLEDGE_INVALID: 422,
  CONFIG_INVALID: 500,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** The one place HTTP errors are translated: { error: { code, message, details? } } with the code's status. */
export function createErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error, _request, response, _next) => {
    const status = (error as { status?: number; type?: string }).type === "entity.too.large" ? 413 : (error as { type?: string }).type === "entity.parse.failed" ? 400 : undefined;
    const appError = status === 413
      ? { code: "PAYLOAD_TOO_LARGE" as const, message: "The request body is too large.", details: undefined }
      : status === 400
        ? { code: "BAD_REQUEST" as const, message: "The request body is not valid JSON.", details: undefined }
        : toAppError(error);
    if (appError.code === "INTERNAL") logger.error({ err: error }, "request failed");
    response.status(STATUS[appError.code]).json({ error: { code: appError.code, message: appError.message, ...(appError.details ? { details: appError.details } : {}) } });
  };
}
