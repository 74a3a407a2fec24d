import type { ErrorCode } from "../errors.ts";

/** Every acknowledged client event answers with one of these. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: { code: ErrorCode; message: string; details?: Record<string, unknown> } };

export type AckCallback<T> = (response: Ack<T>) => void;
