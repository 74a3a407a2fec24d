import type { IncomingMessage } from "node:http";
import { io, type Socket } from "socket.io-client";
import { afterEach, describe, expect, it } from "vitest";
import type { ChatClientEvents, ChatServerEvents } from "../../src/protocol/chat-events.ts";
import { connected, Shopper } from "../support/shopper.ts";
import { startTestApp, type TestApp } from "../support/start-test-app.ts";

let server: TestApp | undefined;
const sockets: { close(): void }[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  await server?.close();
  server = undefined;
});

/** Every WebSocket upgrade request the server receives, as engine.io gets it. */
function captureUpgrades(test: TestApp): IncomingMessage[] {
  const requests: IncomingMessage[] = [];
  test.app.httpServer.prependListener("upgrade", (request: IncomingMessage) => requests.push(request));
  return requests;
}

async function converse(socket: Socket<ChatServerEvents, ChatClientEvents>): Promise<void> {
  const started = await socket.timeout(10_000).emitWithAck("conversation-start", {});
  expect(started.ok).toBe(true);
  const sent = await socket.timeout(10_000).emitWithAck("message-send", { clientId: crypto.randomUUID(), text: "What is the return policy?" });
  expect(sent.ok).toBe(true);
}

describe("the upgrade request of a WebSocket connection", () => {
  it("keeps nothing of it once the connection is set up, and the conversation goes on as before", async () => {
    server = await startTestApp();
    const upgrades = captureUpgrades(server);
    const shopper = new Shopper(server.url);
    sockets.push(shopper);
    await connected(shopper);
    const started = await shopper.start({ locale: "en" });
    expect(started.ok).toBe(true);
    const sent = await shopper.send("What is the return policy?");
    if (!sent.ok) throw new Error(sent.error.message);
    // The bot's turn ends in an answer or a hand-off, either way an event back on this connection.
    const reply = await shopper.waitFor((event) => event.seq > sent.data.seq && (event.type === "answer-end" || event.type === "state-changed"));
    expect(reply.conversationId).toBe(shopper.conversationId);

    expect(upgrades).toHaveLength(1);
    // engine.io holds this request until the TCP connection closes; its headers and query are gone.
    expect(Reflect.ownKeys(upgrades[0]!)).toEqual([]);
  });

  it("leaves long-polling handshakes alone, and a polling connection that upgrades still works", async () => {
    server = await startTestApp();
    const upgrades = captureUpgrades(server);
    const polling: Socket<ChatServerEvents, ChatClientEvents> = io(`${server.url}/chat`, { transports: ["polling"], reconnection: false, forceNew: true });
    const upgrading: Socket<ChatServerEvents, ChatClientEvents> = io(`${server.url}/chat`, { transports: ["polling", "websocket"], reconnection: false, forceNew: true });
    sockets.push(polling, upgrading);
    await converse(polling);
    await converse(upgrading);
    await new Promise<void>((resolve) => (upgrading.io.engine.transport.name === "websocket" ? resolve() : upgrading.io.engine.once("upgrade", () => resolve())));
    expect(polling.io.engine.transport.name).toBe("polling");
    await converse(upgrading);
    // The upgrade of an existing polling connection is not announced as a new connection: kept as engine.io has it.
    expect(upgrades).toHaveLength(1);
    expect(upgrades[0]!.headers.upgrade).toBe("websocket");
  });
});
