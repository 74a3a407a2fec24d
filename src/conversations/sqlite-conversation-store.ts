import type { Locale } from "../protocol/chat-payloads.ts";
import type { AnswerFeedback } from "../protocol/chat-events.ts";
import type { ConversationEvent, EventBody } from "../protocol/conversation-events.ts";
import { openDatabase, type Database } from "../storage/database.ts";
import type { AgentAction, ConversationSummary, Note } from "../protocol/agent-events.ts";
import { toConversation, toEvent, toSummary, type ConversationRow, type EventRow, type SummaryRow } from "./conversation-rows.ts";
import type { Appended, AppendOptions, ConversationFilter, ConversationRecord, ConversationStore } from "./conversation-store.ts";
import { ConversationWriter } from "./conversation-writer.ts";
import { MIGRATIONS } from "./sqlite-conversation-migrations.ts";

/**
 * Conversations in SQLite: reads on this thread's connection, every write in a writer thread of
 * its own (conversation-writer.ts), group-committed, so the event loop never waits for an fsync
 * while each write still resolves only once it is durable. WAL lets the reads run alongside.
 */
export class SqliteConversationStore implements ConversationStore {
  readonly #db: Database;
  readonly #statements;
  readonly #writer: ConversationWriter;

  constructor(path: string, options: { synchronous: "full" | "normal"; onWriterCrash?: (error: unknown) => void; writerScript?: URL }) {
    // The schema first, on this thread; the writer opens the migrated file.
    this.#db = openDatabase(path, { migrations: MIGRATIONS, synchronous: options.synchronous });
    this.#writer = new ConversationWriter({ path, synchronous: options.synchronous }, {
      ...(options.onWriterCrash ? { onCrash: options.onWriterCrash } : {}),
      ...(options.writerScript ? { script: options.writerScript } : {}),
    });
    const db = this.#db;
    this.#statements = {
      byId: db.prepare(`SELECT * FROM conversations WHERE id = ?`),
      byToken: db.prepare(`SELECT * FROM conversations WHERE token_hash = ?`),
      notes: db.prepare(`SELECT * FROM notes WHERE conversation_id = ? ORDER BY at, id`),
      actions: db.prepare(`SELECT * FROM agent_actions WHERE conversation_id = ? ORDER BY at, rowid`),
      summary: db.prepare(`${SUMMARY_SELECT} WHERE c.id = ?`),
      listEvents: db.prepare(`SELECT * FROM events WHERE conversation_id = ? AND seq > ? ORDER BY seq LIMIT ?`),
      feedback: db.prepare(`SELECT answer_id, rating, at FROM answer_feedback WHERE conversation_id = ? ORDER BY at, answer_id`),
      openAnswer: db.prepare(`SELECT e.* FROM conversations c JOIN events e ON e.conversation_id = c.id AND e.seq = c.open_answer_seq WHERE c.id = ?`),
      pending: db.prepare(
        `SELECT e.* FROM conversations c JOIN events e ON e.conversation_id = c.id AND e.seq = c.open_answer_seq
         WHERE c.open_answer_seq IS NOT NULL
         UNION ALL
         SELECT * FROM (SELECT m.* FROM conversations c JOIN events m ON m.conversation_id = c.id
         WHERE c.state = 'bot' AND c.updated_at >= ?1 AND m.at >= ?1 AND m.type = 'message' AND m.body ->> '$.author' = 'shopper'
           AND m.seq > coalesce((SELECT max(x.seq) FROM events x WHERE x.conversation_id = c.id AND x.type = 'state-changed'), 0)
           AND NOT EXISTS (SELECT 1 FROM events s WHERE s.conversation_id = c.id AND s.seq > m.seq AND s.type = 'answer-start' AND s.body ->> '$.replyTo' = m.seq)
         ORDER BY m.conversation_id, m.seq)`,
      ),
    };
  }

  async createConversation(input: { id: string; tokenHash: string; productId: string | null; locale: Locale | null; now: Date }): Promise<ConversationRecord> {
    const { now, ...rest } = input;
    return (await this.#writer.write({ op: "create", input: { ...rest, at: now.toISOString() } })) as ConversationRecord;
  }

  async findConversationByTokenHash(tokenHash: string) {
    const row = this.#statements.byToken.get(tokenHash) as ConversationRow | undefined;
    return row ? toConversation(row) : null;
  }

  async getConversation(id: string) {
    const row = this.#statements.byId.get(id) as ConversationRow | undefined;
    return row ? toConversation(row) : null;
  }

  async updateContext(id: string, context: { productId?: string | null; locale?: Locale | null }, now: Date): Promise<void> {
    await this.#writer.write({ op: "context", id, context, at: now.toISOString() });
  }

  /** Durable (committed by the writer thread, group-committed with the writes around it) when it resolves. */
  async appendEvent(conversationId: string, body: EventBody, now: Date, options: AppendOptions = {}): Promise<Appended> {
    return (await this.#writer.write({ op: "append", conversationId, body, at: now.toISOString(), options })) as Appended;
  }

  async listEvents(conversationId: string, afterSeq: number, limit = 10_000) {
    return (this.#statements.listEvents.all(conversationId, afterSeq, limit) as EventRow[]).map(toEvent);
  }

  async listPendingReplies(messagesSince?: Date) {
    return (this.#statements.pending.all(messagesSince?.toISOString() ?? "") as EventRow[]).map(toEvent);
  }

  async getOpenAnswer(conversationId: string) {
    const row = this.#statements.openAnswer.get(conversationId) as EventRow | undefined;
    return row ? (toEvent(row) as ConversationEvent & { type: "answer-start" }) : null;
  }

  async listConversations(filter: ConversationFilter): Promise<ConversationSummary[]> {
    const where: string[] = [];
    const values: (string | number)[] = [];
    if (filter.states?.length) {
      where.push(`c.state IN (SELECT value FROM json_each(?))`);
      values.push(JSON.stringify(filter.states));
    }
    if (filter.assignedTo) {
      where.push(`c.assigned_agent_id = ?`);
      values.push(filter.assignedTo);
    }
    if (filter.search) {
      where.push(`EXISTS (SELECT 1 FROM events e WHERE e.conversation_id = c.id AND e.type IN ('message', 'answer-end') AND e.body ->> '$.text' LIKE ? ESCAPE '\\')`);
      values.push(`%${filter.search.replace(/[\\%_]/g, (character) => `\\${character}`)}%`);
    }
    const sql = `${SUMMARY_SELECT} ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
      ORDER BY c.state = 'waiting' DESC, CASE WHEN c.state = 'waiting' THEN h.at END ASC, c.updated_at DESC LIMIT ?`;
    return (this.#db.prepare(sql).all(...values, filter.limit) as SummaryRow[]).map(toSummary);
  }

  async getSummary(id: string): Promise<ConversationSummary | null> {
    const row = this.#statements.summary.get(id) as SummaryRow | undefined;
    return row ? toSummary(row) : null;
  }

  async listHandoffQuestions(reasons: readonly string[], limit: number) {
    return this.#db
      .prepare(
        `SELECT conversation_id AS conversationId, question, reason, at FROM handoffs
         WHERE question IS NOT NULL AND reason IN (SELECT value FROM json_each(?)) ORDER BY at DESC LIMIT ?`,
      )
      .all(JSON.stringify(reasons), limit) as { conversationId: string; question: string; reason: string; at: string }[];
  }

  async listAnsweredQuestions(limit: number) {
    return this.#db
      .prepare(
        `SELECT m.body ->> '$.text' AS question, c.product_id AS productId FROM events e
         JOIN events s ON s.answer_id = e.answer_id AND s.type = 'answer-start'
         JOIN events m ON m.conversation_id = s.conversation_id AND m.seq = s.body ->> '$.replyTo'
         JOIN conversations c ON c.id = e.conversation_id
         WHERE e.type = 'answer-end' AND e.body ->> '$.status' = 'complete'
         ORDER BY e.at DESC LIMIT ?`,
      )
      .all(limit) as { question: string; productId: string | null }[];
  }

  async addNote(note: Note): Promise<void> {
    await this.#writer.write({ op: "note", note });
  }

  async listNotes(conversationId: string): Promise<Note[]> {
    return (this.#statements.notes.all(conversationId) as { id: string; conversation_id: string; agent_id: string; agent_name: string; text: string; at: string }[]).map((row) => ({
      id: row.id, conversationId: row.conversation_id, agentId: row.agent_id, agentName: row.agent_name, text: row.text, at: row.at,
    }));
  }

  async listActions(conversationId: string): Promise<AgentAction[]> {
    return (this.#statements.actions.all(conversationId) as { conversation_id: string; agent_id: string; agent_name: string; action: string; at: string }[]).map((row) => ({
      conversationId: row.conversation_id, agentId: row.agent_id, agentName: row.agent_name, action: row.action, at: row.at,
    }));
  }

  async rateAnswer(conversationId: string, answerId: string, rating: AnswerFeedback["rating"], now: Date): Promise<AnswerFeedback | null> {
    return (await this.#writer.write({ op: "rate", conversationId, answerId, rating, at: now.toISOString() })) as AnswerFeedback | null;
  }

  async listFeedback(conversationId: string): Promise<AnswerFeedback[]> {
    return (this.#statements.feedback.all(conversationId) as { answer_id: string; rating: AnswerFeedback["rating"]; at: string }[]).map((row) => ({
      answerId: row.answer_id, rating: row.rating, at: row.at,
    }));
  }

  async close() {
    await this.#writer.close();
    if (this.#db.isOpen) this.#db.close();
  }
}

/** One row per conversation with its last message, latest hand-off and whether a contact was left. */
const SUMMARY_SELECT = `
  SELECT c.*,
    h.reason, h.question, h.confidence, h.passages, h.draft, h.at AS handoff_at
  FROM conversations c
  LEFT JOIN handoffs h ON h.conversation_id = c.id AND h.seq = (SELECT max(seq) FROM handoffs WHERE conversation_id = c.id)`;
