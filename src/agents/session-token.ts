import type { IncomingHttpHeaders } from "node:http";
import type { z } from "zod";
import { AppError } from "../errors.ts";

export const SESSION_COOKIE = "kefu_session";

/** The session token of a request or handshake: a Bearer header, else the session cookie. */
export function sessionToken(headers: IncomingHttpHeaders, explicit?: unknown): string | undefined {
  if (typeof explicit === "string" && explicit) return explicit;
  const authorization = headers.authorization;
  if (authorization?.startsWith("Bearer ")) return authorization.slice(7);
  for (const part of (headers.cookie ?? "").split(";")) {
    const [name, ...value] = part.trim().split("=");
    if (name === SESSION_COOKIE) return decodeURIComponent(value.join("="));
  }
  return undefined;
}

export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new AppError("BAD_REQUEST", parsed.error.issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`).join("; "));
  }
  return parsed.data;
}
