import { createHash } from "node:crypto";

/** How a secret token (a shopper's resume token, an agent's session) is stored: its sha256, never the token itself. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
