import type { IncomingMessage } from "node:http";

/**
 * Drop what a WebSocket connection's upgrade request holds, once the connection is set up.
 *
 * engine.io keeps that request reachable for as long as the TCP connection lasts (the response
 * object it makes for HTTP middlewares listens for the socket's close, and holds the request), but
 * reads nothing from it after the handshake; socket.io's own reference is dropped separately
 * (engine socket `request = null`). Its own properties, the parsed and raw headers, the query and
 * a property table engine.io turned into a dictionary, are about 1.7 KB a connection: 17 MB at
 * 10,000 idle shoppers. Only for connections that start on WebSocket: a long-polling handshake
 * request is still being answered when the connection is announced.
 */
export function releaseUpgradeRequest(request: IncomingMessage, transport: string): void {
  if (transport !== "websocket") return;
  for (const key of Reflect.ownKeys(request)) Reflect.deleteProperty(request, key);
}
