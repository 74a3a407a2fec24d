import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { Server } from "socket.io";

/**
 * The floor of the chat benchmark: a bare socket.io server on the same Node that does the least a
 * durable chat server must do for a message, one SQLite insert (WAL, synchronous=FULL) before the
 * ack, and nothing else; a resume reads the conversation's rows. It speaks just enough of /chat
 * (conversation-start, message-send) for the bench's shoppers, and answers /readyz like Kefu, so the same load generator drives both.
 */
const port = Number(process.env.PORT ?? 0);
const host = process.env.HOST ?? "127.0.0.1";
const dataDir = process.env.DATA_DIR ?? "./data";
mkdirSync(dataDir, { recursive: true });
const db = new DatabaseSync(join(dataDir, "floor.db"));
db.exec("PRAGMA journal_mode = WAL");
db.exec("PRAGMA synchronous = FULL");
db.exec("CREATE TABLE IF NOT EXISTS messages (conversation_id TEXT NOT NULL, seq INTEGER NOT NULL, client_id TEXT NOT NULL, text TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (conversation_id, seq)) STRICT, WITHOUT ROWID");
const history = db.prepare("SELECT seq, client_id AS clientId, text, at FROM messages WHERE conversation_id = ? ORDER BY seq");
const insert = db.prepare("INSERT INTO messages (conversation_id, seq, client_id, text, at) VALUES (?, ?, ?, ?, ?)");

const http = createServer((request, response) => {
  if (request.url === "/readyz") response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ status: "ready", passages: 0 }));
  else response.writeHead(404).end();
});
const io = new Server(http, { serveClient: false, perMessageDeflate: false, maxHttpBufferSize: 65_536 });
io.engine.on("connection", (rawSocket: { request: unknown }) => {
  rawSocket.request = null;
});
type Ack = (response: unknown) => void;
io.of("/chat").on("connection", (socket) => {
  let conversationId: string | null = null;
  let seq = 0;
  socket.on("conversation-start", (payload: { resumeToken?: unknown }, ack: Ack) => {
    // A resume (the reconnect bench's floor) reads the conversation's stored messages: one indexed SQLite read.
    const resumed = typeof payload?.resumeToken === "string" ? payload.resumeToken : null;
    conversationId = resumed ?? randomUUID();
    const events = resumed ? history.all(resumed) : [];
    seq = events.length;
    // The conversation's id is its resume token here (the floor keeps no secrets).
    ack({ ok: true, data: { conversationId, resumeToken: conversationId, state: "bot", events, lastSeq: seq, streaming: [] } });
  });
  socket.on("message-send", (payload: { clientId?: unknown; text?: unknown }, ack: Ack) => {
    if (!conversationId || typeof payload?.clientId !== "string" || typeof payload.text !== "string") {
      ack({ ok: false, error: { code: "BAD_REQUEST", message: "bad message" } });
      return;
    }
    seq += 1;
    insert.run(conversationId, seq, payload.clientId, payload.text, new Date().toISOString());
    ack({ ok: true, data: { seq, duplicate: false } });
  });
});
// The same accept queue as Kefu's (src/app.ts), so a storm of handshakes meets both alike.
http.listen({ port, host, backlog: 4096 });
process.on("SIGTERM", () => {
  void io.close();
  db.close();
  process.exit(0);
});
