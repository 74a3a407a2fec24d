import type { IncomingMessage } from "node:http";
import proxyaddr from "proxy-addr";
import ipaddr from "ipaddr.js";
import type { Config } from "../config.ts";

/** Whether to believe the proxy at `address`, `hop` steps from the server (proxy-addr's trust function). */
export type TrustFunction = (address: string, hop: number) => boolean;

/** TRUST_PROXY as proxy-addr's trust function; express gets the same value for request.ip. */
export function compileTrust(trust: Config["trustProxy"]): TrustFunction {
  if (trust === true) return () => true;
  if (trust === false) return () => false;
  if (typeof trust === "number") return (_address, hop) => hop < trust;
  return proxyaddr.compile([...trust]);
}

/**
 * The client's address as per-IP limits count it: the one proxy-addr finds behind trusted proxies,
 * with IPv4-mapped IPv6 made plain IPv4 and IPv6 cut to its /64 (one household or phone gets a
 * whole /64, so counting single IPv6 addresses would let one client be many).
 */
export function clientAddress(request: IncomingMessage, trust: TrustFunction): string {
  const address = proxyaddr(request, trust);
  return limitKey(address);
}

export function limitKey(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  if (parsed.kind() === "ipv4") return parsed.toString();
  return `${(parsed as ipaddr.IPv6).toNormalizedString().split(":").slice(0, 4).join(":")}::/64`;
}

/**
 * Remembers each engine.io connection's client address, taken from its handshake request before
 * that request is dropped to save memory, for the socket.io sockets that later use the connection.
 */
export class ClientAddresses {
  readonly #trust: TrustFunction;
  readonly #byConnection = new WeakMap<object, string>();

  constructor(trust: TrustFunction) {
    this.#trust = trust;
  }

  remember(connection: object, request: IncomingMessage): void {
    this.#byConnection.set(connection, clientAddress(request, this.#trust));
  }

  of(socket: { conn: object; handshake: { address: string } }): string {
    return this.#byConnection.get(socket.conn) ?? limitKey(socket.handshake.address);
  }
}
