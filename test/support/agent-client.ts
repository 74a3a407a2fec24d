import { io, type Socket } from "socket.io-client";
import type { Ack } from "../../src/protocol/ack.ts";
import type { AgentClientEvents, AgentServerEvents } from "../../src/protocol/agent-events.ts";

type Payload<E extends keyof AgentClientEvents> = Parameters<AgentClientEvents[E]>[0];
type AckData<E extends keyof AgentClientEvents> = Parameters<AgentClientEvents[E]> extends [unknown, ((response: Ack<infer T>) => void)?] ? T : never;

export async function logIn(url: string, email: string, password: string): Promise<{ token: string; status: number; body: unknown }> {
  const response = await fetch(`${url}/api/agent/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password }) });
  const body = (await response.json()) as { token?: string };
  return { token: body.token ?? "", status: response.status, body };
}

/** An agent's dashboard connection: a real socket.io client on /agent with a session token. */
export class AgentClient {
  readonly socket: Socket<AgentServerEvents, AgentClientEvents>;

  /** `headers`: extra handshake headers (a Cookie, an Origin, an Authorization). */
  constructor(url: string, token: string | undefined, headers: Record<string, string> = {}) {
    this.socket = io(`${url}/agent`, { transports: ["websocket"], reconnection: false, forceNew: true, auth: token ? { token } : {}, extraHeaders: headers });
  }

  static async connect(url: string, email: string, password: string): Promise<AgentClient> {
    const { token } = await logIn(url, email, password);
    const client = new AgentClient(url, token);
    await new Promise<void>((resolve, reject) => {
      client.socket.once("connect", () => resolve());
      client.socket.once("connect_error", reject);
    });
    return client;
  }

  emit<E extends keyof AgentClientEvents>(event: E, payload: Payload<E>): Promise<Ack<AckData<E>>> {
    return (this.socket.timeout(10_000) as unknown as { emitWithAck(event: string, payload: unknown): Promise<Ack<AckData<E>>> }).emitWithAck(event, payload);
  }

  next<E extends keyof AgentServerEvents>(event: E, predicate: (...args: Parameters<AgentServerEvents[E]>) => boolean = () => true, timeoutMs = 10_000): Promise<Parameters<AgentServerEvents[E]>[0]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${String(event)} within ${timeoutMs} ms`)), timeoutMs);
      const listener = (...args: Parameters<AgentServerEvents[E]>) => {
        if (!predicate(...args)) return;
        clearTimeout(timer);
        (this.socket as unknown as { off(event: string, listener: unknown): void }).off(event as string, listener);
        resolve(args[0]);
      };
      (this.socket as unknown as { on(event: string, listener: unknown): void }).on(event as string, listener);
    });
  }

  close(): void {
    this.socket.close();
  }
}
