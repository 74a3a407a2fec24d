import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** The token usage the fake model reports for every streamed answer. */
export const FAKE_USAGE = { prompt_tokens: 400, completion_tokens: 100, total_tokens: 500 };

/** What the fake model does for one request. */
export type Script = {
  reply: string;
  /** Characters per streamed chunk. */
  chunkSize?: number;
  firstTokenMs?: number;
  /** Hold the first token until this settles (a test decides when the model answers). */
  until?: Promise<unknown>;
  tokenMs?: number;
  /** hang: never answer; status: answer with an HTTP error; cut: close the stream after cutAfterChunks chunks. */
  fault?: "hang" | "status" | "cut";
  status?: number;
  cutAfterChunks?: number;
};

export type RecordedRequest = {
  path: string;
  headers: IncomingHttpHeaders;
  body: { model: string; stream?: boolean; messages: { role: string; content: string }[]; [key: string]: unknown };
};

/**
 * An OpenAI-compatible HTTP server on loopback for tests and benchmarks: /v1/chat/completions as
 * JSON or SSE stream, scripted replies (a queue, then a default responder), every request
 * recorded, and faults on demand: slow first token, hang, HTTP errors, cut streams.
 */
export class FakeLlmServer {
  readonly requests: RecordedRequest[] = [];
  /** Requests being answered now, and the most there ever were at once. */
  inFlight = 0;
  maxInFlight = 0;
  #queue: Script[] = [];
  #respond: (request: RecordedRequest) => Script = () => ({ reply: "VERDICT: ANSWERED\nOK [1]" });
  readonly #server: Server;
  readonly #open = new Set<import("node:net").Socket>();

  private constructor() {
    this.#server = createServer((request, response) => {
      let raw = "";
      request.on("data", (chunk: Buffer) => (raw += chunk.toString("utf8")));
      request.on("end", () => {
        const recorded: RecordedRequest = { path: request.url ?? "", headers: request.headers, body: raw ? JSON.parse(raw) : {} };
        this.requests.push(recorded);
        if (!recorded.path.endsWith("/chat/completions")) {
          response.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "not found" } }));
          return;
        }
        const script = this.#queue.shift() ?? this.#respond(recorded);
        this.inFlight += 1;
        this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
        response.once("close", () => (this.inFlight -= 1));
        void this.#serve(script, recorded, response);
      });
    });
    this.#server.on("connection", (socket) => {
      this.#open.add(socket);
      socket.on("close", () => this.#open.delete(socket));
    });
  }

  static async start(): Promise<FakeLlmServer> {
    const server = new FakeLlmServer();
    await new Promise<void>((resolve) => server.#server.listen(0, "127.0.0.1", resolve));
    return server;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/v1`;
  }

  /** Scripts for the next requests, in order. */
  enqueue(...scripts: Script[]): void {
    this.#queue.push(...scripts);
  }

  /** How to answer once the queue is empty. */
  respondWith(respond: (request: RecordedRequest) => Script): void {
    this.#respond = respond;
  }

  async close(): Promise<void> {
    for (const socket of this.#open) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #serve(script: Script, request: RecordedRequest, response: import("node:http").ServerResponse): Promise<void> {
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    if (script.fault === "hang") return;
    if (script.firstTokenMs) await sleep(script.firstTokenMs);
    if (script.until) await script.until.catch(() => undefined);
    if (script.fault === "status") {
      const status = script.status ?? 500;
      response.writeHead(status, { "content-type": "application/json", ...(status === 429 ? { "retry-after": "0" } : {}) });
      response.end(JSON.stringify({ error: { message: `scripted ${status}`, type: "server_error" } }));
      return;
    }
    const model = request.body.model;
    if (!request.body.stream) {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({
        id: "chatcmpl-fake", object: "chat.completion", created: 0, model,
        choices: [{ index: 0, message: { role: "assistant", content: script.reply }, finish_reason: "stop" }],
        usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
      }));
      return;
    }
    response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    const send = (delta: Record<string, unknown>, finish: string | null = null) =>
      response.write(`data: ${JSON.stringify({ id: "chatcmpl-fake", object: "chat.completion.chunk", created: 0, model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`);
    send({ role: "assistant", content: "" });
    const size = script.chunkSize ?? 4;
    const characters = [...script.reply];
    let chunks = 0;
    for (let index = 0; index < characters.length; index += size) {
      if (response.destroyed) return;
      if (script.fault === "cut" && chunks >= (script.cutAfterChunks ?? 1)) {
        response.socket?.destroy();
        return;
      }
      if (index > 0 && script.tokenMs) await sleep(script.tokenMs);
      send({ content: characters.slice(index, index + size).join("") });
      chunks += 1;
    }
    send({}, "stop");
    if ((request.body.stream_options as { include_usage?: boolean } | undefined)?.include_usage) {
      // As OpenAI does: a last chunk with no choices and the request's token usage.
      response.write(`data: ${JSON.stringify({ id: "chatcmpl-fake", object: "chat.completion.chunk", created: 0, model, choices: [], usage: FAKE_USAGE })}\n\n`);
    }
    response.write("data: [DONE]\n\n");
    response.end();
  }
}
