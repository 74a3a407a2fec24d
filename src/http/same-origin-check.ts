import type { RequestHandler } from "express";
import { sessionToken } from "../agents/session-token.ts";
import { AppError } from "../errors.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * CSRF protection for the HTTP API. SameSite cookies do not stop another site of the same
 * registrable domain (shop.example.com posting to kefu.example.com), so every state-changing
 * request must show it comes from the dashboard's own origin: `Sec-Fetch-Site: same-origin`, or
 * an `Origin` whose host is the server's (or PUBLIC_URL's). Requests authenticated by an
 * `Authorization: Bearer` header (the CLI, scripts) carry no ambient credential and pass; a
 * request with the session cookie and neither header is refused.
 */
export function createSameOriginCheck(options: { publicUrl: string | undefined }): RequestHandler {
  const publicHost = options.publicUrl ? new URL(options.publicUrl).host.toLowerCase() : undefined;
  return (request, _response, next) => {
    if (SAFE_METHODS.has(request.method) || request.headers.authorization?.startsWith("Bearer ")) return next();
    const fetchSite = request.headers["sec-fetch-site"];
    const origin = request.headers.origin;
    const verdict = fetchSite !== undefined ? fetchSite === "same-origin" : origin !== undefined ? isOwnOrigin(origin, request.headers.host, publicHost) : sessionToken({ cookie: request.headers.cookie }) === undefined;
    if (verdict) return next();
    next(new AppError("FORBIDDEN", "Cross-site request refused: send it from the dashboard's own origin, or authenticate with an Authorization: Bearer header."));
  };
}

/** Whether `origin` is the server's own: the host the request was sent to, or PUBLIC_URL's. */
export function isOwnOrigin(origin: string, host: string | undefined, publicHost: string | undefined): boolean {
  let originHost: string;
  try {
    originHost = new URL(origin).host.toLowerCase();
  } catch {
    return false;
  }
  return originHost === host?.toLowerCase() || originHost === publicHost;
}
