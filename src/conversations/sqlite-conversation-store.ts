import { AppError } from "../errors.ts";
import type { Locale } from "../protocol/chat-payloads.ts";
import type { ConversationEvent, ConversationState, EventBody } from "../protocol/conversation-events.ts";
import { openDatabase, transaction, type Database } from "../storage/database.ts";
import type { Appended, AppendOptions, ConversationRecord, ConversationStore, Handoff, QueueEntry } from "./conversation-store.ts";

const MIGRATIONS = [
  `CREATE TABLE conversations (
     id TEXT PRIMARY KEY,
     token_hash TEXT NOT NULL UNIQUE,
     state TEXT NOT NULL,
     product_id TEXT,
     locale TEXT,
     last_seq INTEGER NOT NULL DEFAULT 0,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   ) STRICT;
   CREATE TABLE events (
     conversation_id TEXT NOT NULL REFERENCES conversations(id),
     seq INTEGER NOT NULL,
     type TEXT NOT NULL,
     client_id TEXT,
     answer_id TEXT,
     body TEXT NOT NULL,
     at TEXT NOT NULL,
     PRIMARY KEY (conversation_id, seq)
   ) STRICT, WITHOUT ROWID;
   CREATE UNIQUE INDEX events_client_id ON events(conversation_id, client_id) WHERE client_id IS NOT NULL;
   CREATE INDEX events_answer ON events(answer_id, type) WHERE answer_id IS NOT NULL;
   CREATE INDEX conversations_state ON conversations(state, updated_at);`,
  `CREATE TABLE handoffs (
     conversation_id TEXT NOT NULL REFERENCES conversations(id),
     seq INTEGER NOT NULL,
     reason TEXT NOT NULL,
     question TEXT,
     confidence TEXT,
     passages TEXT NOT NULL,
     draft TEXT,
     at TEXT NOT NULL,
     PRIMARY KEY (conversation_id, seq)
   ) STRICT, WITHOUT ROWID;`,
];

type ConversationRow = {
  id: string;
  state: string;
  product_id: string | null;
  locale: string | null;
  last_seq: number;
  created_at: string;
  updated_at: string;
};

type EventRow = { conversation_id: string; seq: number; body: string; at: string };

export class SqliteConversationStore implements ConversationStore {
  readonly #db: Database;
  readonly #statements;

  constructor(path: string, options: { synchronous: "full" | "normal" }) {
    this.#db = openDatabase(path, { migrations: MIGRATIONS, synchronous: options.synchronous });
    const db = this.#db;
    this.#statements = {
      insertConversation: db.prepare(
        `INSERT INTO conversations (id, token_hash, state, product_id, locale, last_seq, created_at, updated_at)
         VALUES (?, ?, 'bot', ?, ?, 0, ?, ?)`,
      ),
      byId: db.prepare(`SELECT * FROM conversations WHERE id = ?`),
      byToken: db.prepare(`SELECT * FROM conversations WHERE token_hash = ?`),
      updateContext: db.prepare(
        `UPDATE conversations SET product_id = coalesce(?, product_id), locale = coalesce(?, locale), updated_at = ? WHERE id = ?`,
      ),
      clearProduct: db.prepare(`UPDATE conversations SET product_id = NULL WHERE id = ?`),
      eventByClientId: db.prepare(`SELECT * FROM events WHERE conversation_id = ? AND client_id = ?`),
      nextSeq: db.prepare(`UPDATE conversations SET last_seq = last_seq + 1, updated_at = ? WHERE id = ? RETURNING last_seq, state`),
      setState: db.prepare(`UPDATE conversations SET state = ? WHERE id = ?`),
      insertEvent: db.prepare(
        `INSERT INTO events (conversation_id, seq, type, client_id, answer_id, body, at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertHandoff: db.prepare(
        `INSERT INTO handoffs (conversation_id, seq, reason, question, confidence, passages, draft, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      queue: db.prepare(
        `SELECT c.*, s.at AS waiting_since, h.reason, h.question, h.confidence, h.passages, h.draft,
           (SELECT e.body ->> '$.text' FROM events e WHERE e.conversation_id = c.id AND e.type = 'message' ORDER BY e.seq DESC LIMIT 1) AS last_message,
           EXISTS (SELECT 1 FROM events e WHERE e.conversation_id = c.id AND e.type = 'contact' AND e.seq > s.seq) AS contact_left
         FROM conversations c
         JOIN events s ON s.conversation_id = c.id AND s.seq = (
           SELECT max(seq) FROM events WHERE conversation_id = c.id AND type = 'state-changed' AND body ->> '$.state' = 'waiting')
         LEFT JOIN handoffs h ON h.conversation_id = c.id AND h.seq = s.seq
         WHERE c.state = 'waiting'
         ORDER BY s.at, c.id`,
      ),
      listEvents: db.prepare(`SELECT * FROM events WHERE conversation_id = ? AND seq > ? ORDER BY seq LIMIT ?`),
      pending: db.prepare(
        `SELECT e.* FROM conversations c JOIN events e ON e.conversation_id = c.id AND e.seq = c.last_seq
         WHERE c.state = 'bot'
           AND (e.type IN ('answer-start', 'answer-delta') OR (e.type = 'message' AND e.body ->> '$.author' = 'shopper'))`,
      ),
    };
  }

  async createConversation(input: { id: string; tokenHash: string; productId: string | null; locale: Locale | null; now: Date }) {
    const at = input.now.toISOString();
    this.#statements.insertConversation.run(input.id, input.tokenHash, input.productId, input.locale, at, at);
    return toConversation(this.#statements.byId.get(input.id) as ConversationRow);
  }

  async findConversationByTokenHash(tokenHash: string) {
    const row = this.#statements.byToken.get(tokenHash) as ConversationRow | undefined;
    return row ? toConversation(row) : null;
  }

  async getConversation(id: string) {
    const row = this.#statements.byId.get(id) as ConversationRow | undefined;
    return row ? toConversation(row) : null;
  }

  async updateContext(id: string, context: { productId?: string | null; locale?: Locale | null }, now: Date) {
    transaction(this.#db, () => {
      this.#statements.updateContext.run(context.productId ?? null, context.locale ?? null, now.toISOString(), id);
      if (context.productId === null) this.#statements.clearProduct.run(id);
    });
  }

  async appendEvent(conversationId: string, body: EventBody, now: Date, options: AppendOptions = {}): Promise<Appended> {
    const clientId = body.type === "message" ? body.clientId : null;
    const answerId = "answerId" in body ? body.answerId : null;
    const at = now.toISOString();
    return transaction(this.#db, () => {
      if (clientId !== null) {
        const existing = this.#statements.eventByClientId.get(conversationId, clientId) as EventRow | undefined;
        if (existing) return { event: toEvent(existing), duplicate: true };
      }
      const next = this.#statements.nextSeq.get(at, conversationId) as { last_seq: number; state: string } | undefined;
      if (!next) throw new AppError("NOT_FOUND", "This conversation does not exist.");
      if (options.expectedStates && !options.expectedStates.includes(next.state as ConversationState)) {
        throw new AppError("CONFLICT", `The conversation is ${next.state}, not ${options.expectedStates.join(" or ")}.`, {
          details: { state: next.state },
        });
      }
      if (body.type === "state-changed") this.#statements.setState.run(body.state, conversationId);
      this.#statements.insertEvent.run(conversationId, next.last_seq, body.type, clientId, answerId, JSON.stringify(body), at);
      if (options.handoff) {
        const { reason, question, confidence, passages, draft } = options.handoff;
        this.#statements.insertHandoff.run(conversationId, next.last_seq, reason, question, confidence ? JSON.stringify(confidence) : null, JSON.stringify(passages), draft, at);
      }
      return { event: { ...body, conversationId, seq: next.last_seq, at }, duplicate: false };
    });
  }

  async listEvents(conversationId: string, afterSeq: number, limit = 10_000) {
    return (this.#statements.listEvents.all(conversationId, afterSeq, limit) as EventRow[]).map(toEvent);
  }

  async listPendingReplies() {
    return (this.#statements.pending.all() as EventRow[]).map(toEvent);
  }

  async listQueue(): Promise<QueueEntry[]> {
    type Row = ConversationRow & { waiting_since: string; reason: string | null; question: string | null; confidence: string | null; passages: string | null; draft: string | null; last_message: string | null; contact_left: number };
    return (this.#statements.queue.all() as Row[]).map((row) => ({
      conversation: toConversation(row),
      waitingSince: row.waiting_since,
      handoff: row.reason === null ? null : ({
        reason: row.reason,
        question: row.question,
        confidence: row.confidence ? JSON.parse(row.confidence) : null,
        passages: row.passages ? JSON.parse(row.passages) : [],
        draft: row.draft,
      } satisfies Handoff),
      lastMessage: row.last_message,
      contactLeft: row.contact_left === 1,
    }));
  }

  async close() {
    if (this.#db.isOpen) this.#db.close();
  }
}

function toConversation(row: ConversationRow): ConversationRecord {
  return {
    id: row.id,
    state: row.state as ConversationState,
    productId: row.product_id,
    locale: row.locale as Locale | null,
    lastSeq: row.last_seq,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toEvent(row: EventRow): ConversationEvent {
  return { ...(JSON.parse(row.body) as EventBody), conversationId: row.conversation_id, seq: row.seq, at: row.at };
}
