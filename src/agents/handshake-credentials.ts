import type { IncomingHttpHeaders } from "node:http";
import { isOwnOrigin } from "../http/same-origin-check.ts";
import { cookieToken } from "./session-token.ts";

/**
 * What a socket handshake could authenticate an agent by: an Authorization bearer token, or the
 * session cookie, with the Origin and Host the cookie's use is checked against.
 */
export type HandshakeCredentials = { bearer?: string; cookie?: string; origin?: string; host?: string };

/** Session tokens are 43 characters; anything much longer is not one and is not kept. */
const MAX_TOKEN_CHARS = 256;

/** The credentials in a handshake's headers, or undefined when it carries none (a shopper's, usually). */
export function handshakeCredentials(headers: IncomingHttpHeaders): HandshakeCredentials | undefined {
  const authorization = headers.authorization;
  const bearer = authorization?.startsWith("Bearer ") ? authorization.slice(7) : undefined;
  const cookie = cookieToken(headers.cookie);
  const credentials: HandshakeCredentials = {};
  if (bearer && bearer.length <= MAX_TOKEN_CHARS) credentials.bearer = bearer;
  if (cookie && cookie.length <= MAX_TOKEN_CHARS) credentials.cookie = cookie;
  if (!credentials.bearer && !credentials.cookie) return undefined;
  if (headers.origin) credentials.origin = headers.origin;
  if (headers.host) credentials.host = headers.host;
  return credentials;
}

/**
 * The session token a socket connects with, in order: one given in the handshake's `auth` (API
 * clients), an Authorization bearer header, then the session cookie. The browser sends the cookie
 * on any site's WebSocket to this server, so it counts only with an Origin of this server's own
 * (cross-site WebSocket hijacking); a refused cookie is a "cross-site" answer, not a login prompt.
 */
export function socketToken(explicit: unknown, credentials: HandshakeCredentials | undefined, publicHost: string | undefined): { token: string } | { refused: "cross-site" } | null {
  if (typeof explicit === "string" && explicit) return { token: explicit };
  if (credentials?.bearer) return { token: credentials.bearer };
  if (!credentials?.cookie) return null;
  if (!credentials.origin || !isOwnOrigin(credentials.origin, credentials.host, publicHost)) return { refused: "cross-site" };
  return { token: credentials.cookie };
}

/**
 * Each engine.io connection's handshake credentials, kept after the handshake request itself is
 * dropped to save memory (only connections that carry some are kept, as a few short strings).
 */
export class ConnectionCredentials {
  readonly #byConnection = new WeakMap<object, HandshakeCredentials>();

  remember(connection: object, headers: IncomingHttpHeaders): void {
    const credentials = handshakeCredentials(headers);
    if (credentials) this.#byConnection.set(connection, credentials);
  }

  of(connection: object): HandshakeCredentials | undefined {
    return this.#byConnection.get(connection);
  }
}
