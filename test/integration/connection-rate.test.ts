import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { io, type Socket } from "socket.io-client";
import { AgentClient, logIn } from "../support/agent-client.ts";
import { redisProblem, TEST_REDIS_URL } from "../support/services.ts";
import { startTestApp, type TestApp } from "../support/start-test-app.ts";

/**
 * How fast one address may open shopper sockets: a client that connects and disconnects in a loop
 * never has many open at once, so it is counted by the minute. The test clients connect from
 * loopback, a trusted proxy by default, so X-Forwarded-For gives each test an address of its own.
 */
const ADMIN = { email: "admin@pinebrook.test", password: "correct horse battery" };
type Refusal = { code: string; message: string; details: { limit: string; retryAfterSeconds: number } };

const sockets: Socket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close();
});

/** Open a /chat socket from `ip`: null when admitted (then closed again, as a loop would), else the refusal. */
function openAndClose(url: string, ip: string, locale?: string): Promise<Refusal | null> {
  const socket = io(`${url}/chat`, { transports: ["websocket"], reconnection: false, forceNew: true, extraHeaders: { "x-forwarded-for": ip }, ...(locale ? { auth: { locale } } : {}) });
  sockets.push(socket);
  return new Promise((resolve) => {
    socket.once("connect", () => {
      socket.close();
      resolve(null);
    });
    socket.once("connect_error", (error: Error & { data?: Refusal }) => resolve(error.data ?? { code: error.message, message: error.message, details: { limit: "", retryAfterSeconds: 0 } }));
  });
}

async function openInTurn(urls: readonly string[], ip: string, count: number): Promise<(Refusal | null)[]> {
  const outcomes = [];
  for (let index = 0; index < count; index += 1) outcomes.push(await openAndClose(urls[index % urls.length]!, ip));
  return outcomes;
}

const refused = { code: "RATE_LIMITED", details: { limit: "connections-per-ip", retryAfterSeconds: expect.any(Number) } };

describe("connections opened per IP per minute", () => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp({ env: { CONNECTIONS_PER_IP_PER_MINUTE: "5", ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password } });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("refuses a connect-and-disconnect loop once the minute's budget is spent, in the client's language", async () => {
    expect(await openInTurn([server.url], "10.20.0.1", 5)).toEqual([null, null, null, null, null]);
    const english = await openAndClose(server.url, "10.20.0.1");
    expect(english).toMatchObject(refused);
    expect(english!.details.retryAfterSeconds).toBeGreaterThan(0);
    expect(english!.details.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(english!.message).toMatch(/too many new connections/i);
    const chinese = await openAndClose(server.url, "10.20.0.1", "zh");
    expect(chinese).toMatchObject(refused);
    expect(chinese!.message).toMatch(/[\u4e00-\u9fff]/);
    // Another address is not affected.
    expect(await openAndClose(server.url, "10.20.0.2")).toBeNull();
  });

  it("does not count agents' dashboard sockets, nor refuse them when the address's shoppers are over", async () => {
    const { token } = await logIn(server.url, ADMIN.email, ADMIN.password);
    const connectAgent = async (ip: string) => {
      const agent = new AgentClient(server.url, token, { "x-forwarded-for": ip });
      sockets.push(agent.socket as unknown as Socket);
      await new Promise<void>((resolve, reject) => {
        agent.socket.once("connect", () => resolve());
        agent.socket.once("connect_error", reject);
      });
      agent.close();
    };
    // Six dashboard connections from one office address leave its shoppers their whole budget...
    for (let index = 0; index < 6; index += 1) await connectAgent("10.21.0.1");
    expect(await openInTurn([server.url], "10.21.0.1", 5)).toEqual([null, null, null, null, null]);
    expect(await openAndClose(server.url, "10.21.0.1")).toMatchObject(refused);
    // ...and with the shoppers' budget spent, the agents there still connect.
    await connectAgent("10.21.0.1");
  });
});

/** Two servers on one Redis, as behind a load balancer: a client alternating between them has one budget. */
describe.skipIf(redisProblem !== null)(`connections per IP shared by two servers through Redis${redisProblem ? ` (skipped: ${redisProblem})` : ""}`, () => {
  const servers: TestApp[] = [];
  beforeAll(async () => {
    const redis = new URL(TEST_REDIS_URL);
    redis.pathname = `/${1 + Math.floor(Math.random() * 15)}`;
    const env = { REDIS_URL: redis.toString(), CONNECTIONS_PER_IP_PER_MINUTE: "4" };
    servers.push(...(await Promise.all([startTestApp({ env }), startTestApp({ env })])));
  }, 60_000);
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
  });

  it("refuses on both once the address has opened its budget over the two", async () => {
    // An address of this run's own: counters of earlier runs live on in Redis for their minute.
    const ip = `10.22.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;
    const urls = servers.map((server) => server.url);
    expect(await openInTurn(urls, ip, 4)).toEqual([null, null, null, null]);
    expect(await openAndClose(urls[0]!, ip)).toMatchObject(refused);
    expect(await openAndClose(urls[1]!, ip)).toMatchObject(refused);
  });
});
