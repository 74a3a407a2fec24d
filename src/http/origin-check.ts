import type { IncomingMessage } from "node:http";

/**
 * socket.io's allowRequest: CORS does not cover WebSockets, so the Origin header is checked on
 * every handshake. Allowed: no Origin (not a browser), the server's own origin, and the
 * configured list ("*" allows any).
 */
export function createOriginCheck(allowedOrigins: readonly string[]) {
  const allowAny = allowedOrigins.includes("*");
  const allowed = new Set(allowedOrigins.map((origin) => origin.replace(/\/$/, "").toLowerCase()));
  return (request: IncomingMessage, callback: (error: string | null | undefined, success: boolean) => void) => {
    callback(null, isOriginAllowed(request.headers.origin, request.headers.host, allowAny, allowed));
  };
}

export function isOriginAllowed(origin: string | undefined, host: string | undefined, allowAny: boolean, allowed: Set<string>): boolean {
  if (!origin || allowAny) return true;
  const normalized = origin.toLowerCase();
  if (allowed.has(normalized)) return true;
  try {
    return new URL(normalized).host === host?.toLowerCase();
  } catch {
    return false;
  }
}
