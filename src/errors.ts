/**
 * The one error type of Kefu. Expected outcomes (low confidence, hand-off) are values, not errors;
 * an AppError means a request could not be served, and its code says why.
 */
export const ERROR_CODES = [
  "BAD_REQUEST",
  "PAYLOAD_TOO_LARGE",
  "UNAUTHORIZED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "RATE_LIMITED",
  "INVALID_STATE",
  "LLM_UNAVAILABLE",
  "INDEX_NOT_READY",
  "SEARCH_UNAVAILABLE",
  "KNOWLEDGE_INVALID",
  "CONFIG_INVALID",
  "UNAVAILABLE",
  "INTERNAL",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class AppError extends Error {
  readonly code: ErrorCode;
  /** Extra facts safe to show to the caller (never secrets). */
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(message, { cause: options?.cause });
    this.name = "AppError";
    this.code = code;
    this.details = options?.details;
  }
}

/**
 * An expected refusal (a limit reached, the server busy): the same AppError, built without a stack
 * trace. Under a flood, capturing stacks for refusals costs more than the refusals themselves.
 */
export function refusal(code: ErrorCode, message: string, options?: { details?: Record<string, unknown> }): AppError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new AppError(code, message, options);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** Any thrown value as an AppError; unknown failures become INTERNAL with a message safe to show. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  return new AppError("INTERNAL", "Something went wrong on our side. Please try again.", { cause: error });
}

export function isAppError(error: unknown, code?: ErrorCode): error is AppError {
  return error instanceof AppError && (code === undefined || error.code === code);
}
