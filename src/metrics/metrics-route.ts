import { timingSafeEqual } from "node:crypto";
import { isIP } from "node:net";
import express, { type Router } from "express";
import type { Registry } from "prom-client";
import { AppError } from "../errors.ts";

/**
 * GET /metrics in Prometheus text format. With a token, only `Authorization: Bearer <token>` may
 * read it; without one, only clients on loopback (the address behind trusted proxies, so a
 * request relayed by a local reverse proxy from outside is refused).
 */
export function createMetricsRoute(deps: { registry: Registry; token: string | undefined }): Router {
  const router = express.Router();
  router.get("/metrics", async (request, response) => {
    if (deps.token !== undefined) {
      if (!bearerMatches(request.headers.authorization, deps.token)) {
        response.setHeader("WWW-Authenticate", 'Bearer realm="metrics"');
        throw new AppError("UNAUTHORIZED", "Send the metrics token as Authorization: Bearer <token>.");
      }
    } else if (!isLoopback(request.ip ?? "")) {
      throw new AppError("FORBIDDEN", "Metrics are served to loopback clients only; set METRICS_TOKEN to read them from elsewhere.");
    }
    response.setHeader("Content-Type", deps.registry.contentType);
    response.send(await deps.registry.metrics());
  });
  return router;
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const given = /^Bearer\s+(\S+)$/i.exec(header ?? "")?.[1];
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function isLoopback(address: string): boolean {
  const plain = address.startsWith("::ffff:") ? address.slice(7) : address;
  return (isIP(plain) === 4 && plain.startsWith("127.")) || plain === "::1";
}
