import { createShardedAdapter } from "@socket.io/redis-adapter";
import type { Server } from "socket.io";
import { connectRedis, type RedisClient } from "../coordination/redis-coordination.ts";
import type { Logger } from "../logger.ts";

/**
 * Fan-out across servers: socket.io's sharded Redis adapter (Redis 7 sharded pub/sub) in dynamic
 * mode, a channel per room, so a server receives only the packets of rooms it has sockets in. A
 * packet missed while Redis is away is recovered by the client from the durable seq on resume.
 */
export async function useRedisAdapter(io: Server, url: string, logger: Logger): Promise<() => Promise<void>> {
  const publisher: RedisClient = await connectRedis(url, logger, "fan-out publish");
  const subscriber: RedisClient = await connectRedis(url, logger, "fan-out subscribe");
  io.adapter(createShardedAdapter(publisher, subscriber, { subscriptionMode: "dynamic", channelPrefix: "kefu" }));
  // Closing lets the adapter's last unsubscribes (sent as io.close() empties the rooms) finish:
  // destroying the clients under them would reject those commands with no one to catch it.
  const close = (client: RedisClient) => client.close().catch(() => client.destroy());
  return async () => {
    await Promise.all([close(subscriber), close(publisher)]);
  };
}
