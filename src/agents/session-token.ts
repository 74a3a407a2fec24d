import type { IncomingHttpHeaders } from "node:http";
import type { z } from "zod";
import { AppError } from "../errors.ts";

export const SESSION_COOKIE = "kefu_session";

/** The session token of a request or handshake: a Bearer header, else the session cookie. */
export function sessionToken(headers: IncomingHttpHeaders, explicit?: unknown): string | undefined {
  if (typeof explicit === "string" && explicit) return explicit;
  const authorization = headers.authorization;
  if (authorization?.startsWith("Bearer ")) return authorization.slice(7);
  return cookieToken(headers.cookie);
}

/** The session cookie's value in a Cookie header, if there is one. */
export function cookieToken(cookieHeader: string | undefined): string | undefined {
  for (const part of (cookieHeader ?? "").split(";")) {
    const [name, ...value] = part.trim().split("=");
    if (name !== SESSION_COOKIE) continue;
    try {
      return decodeURIComponent(value.join("="));
    } catch {
      return undefined;
    }
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
