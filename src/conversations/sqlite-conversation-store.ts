import { AppError } from "../errors.ts";
import type { Locale } from "../protocol/chat-payloads.ts";
import type { AnswerFeedback } from "../protocol/chat-events.ts";
import type { ConversationState, EventBody } from "../protocol/conversation-events.ts";
import { openDatabase, transaction, type Database } from "../storage/database.ts";
import type { AgentAction, ConversationSummary, Note } from "../protocol/agent-events.ts";
import { toConversation, toEvent, toSummary, type ConversationRow, type EventRow, type SummaryRow } from "./conversation-rows.ts";
import type { Appended, AppendOptions, ConversationFilter, ConversationRecord, ConversationStore } from "./conversation-store.ts";
import { MIGRATIONS } from "./sqlite-conversation-migrations.ts";

export class SqliteConversationStore implements ConversationStore {
  readonly #db: Database;
  readonly #statements;
  /** Writes waiting for the next group commit. */
  #pending: { work: () => unknown; resolve: (value: never) => void; reject: (error: unknown) => void }[] = [];

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
      // ?1 time, ?2 event type, ?3 the text the agent list shows as the last message (or null), ?4 id.
      nextSeq: db.prepare(
        `UPDATE conversations SET last_seq = last_seq + 1, updated_at = ?1,
           open_answer_seq = CASE ?2 WHEN 'answer-start' THEN last_seq + 1 WHEN 'answer-end' THEN NULL ELSE open_answer_seq END,
           last_message = coalesce(?3, last_message),
           last_message_at = CASE WHEN ?3 IS NULL THEN last_message_at ELSE ?1 END,
           contact_left = contact_left OR ?2 = 'contact'
         WHERE id = ?4 RETURNING last_seq, state, assigned_agent_id, assigned_agent_name`,
      ),
      setState: db.prepare(`UPDATE conversations SET state = ? WHERE id = ?`),
      insertEvent: db.prepare(
        `INSERT INTO events (conversation_id, seq, type, client_id, answer_id, body, at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertHandoff: db.prepare(
        `INSERT INTO handoffs (conversation_id, seq, reason, question, confidence, passages, draft, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      setAssigned: db.prepare(`UPDATE conversations SET assigned_agent_id = ?, assigned_agent_name = ? WHERE id = ?`),
      insertAction: db.prepare(`INSERT INTO agent_actions (conversation_id, agent_id, agent_name, action, at) VALUES (?, ?, ?, ?, ?)`),
      insertNote: db.prepare(`INSERT INTO notes (id, conversation_id, agent_id, agent_name, text, at) VALUES (?, ?, ?, ?, ?, ?)`),
      notes: db.prepare(`SELECT * FROM notes WHERE conversation_id = ? ORDER BY at, id`),
      actions: db.prepare(`SELECT * FROM agent_actions WHERE conversation_id = ? ORDER BY at, rowid`),
      listEvents: db.prepare(`SELECT * FROM events WHERE conversation_id = ? AND seq > ? ORDER BY seq LIMIT ?`),
      answerEnded: db.prepare(`SELECT 1 FROM events WHERE answer_id = ? AND type = 'answer-end' AND conversation_id = ?`),
      upsertFeedback: db.prepare(
        `INSERT INTO answer_feedback (conversation_id, answer_id, rating, at) VALUES (?, ?, ?, ?)
         ON CONFLICT (conversation_id, answer_id) DO UPDATE SET rating = excluded.rating, at = excluded.at`,
      ),
      feedback: db.prepare(`SELECT answer_id, rating, at FROM answer_feedback WHERE conversation_id = ? ORDER BY at, answer_id`),
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

  createConversation(input: { id: string; tokenHash: string; productId: string | null; locale: Locale | null; now: Date }): Promise<ConversationRecord> {
    return this.#write(() => {
      const at = input.now.toISOString();
      this.#statements.insertConversation.run(input.id, input.tokenHash, input.productId, input.locale, at, at);
      return toConversation(this.#statements.byId.get(input.id) as ConversationRow);
    });
  }

  async findConversationByTokenHash(tokenHash: string) {
    const row = this.#statements.byToken.get(tokenHash) as ConversationRow | undefined;
    return row ? toConversation(row) : null;
  }

  async getConversation(id: string) {
    const row = this.#statements.byId.get(id) as ConversationRow | undefined;
    return row ? toConversation(row) : null;
  }

  updateContext(id: string, context: { productId?: string | null; locale?: Locale | null }, now: Date): Promise<void> {
    return this.#write(() => {
      this.#statements.updateContext.run(context.productId ?? null, context.locale ?? null, now.toISOString(), id);
      if (context.productId === null) this.#statements.clearProduct.run(id);
    });
  }

  /**
   * Writes are group-committed: those arriving in the same turn of the event loop (appends, new
   * conversations, context changes) share one transaction, so one fsync under synchronous=FULL,
   * each in its own savepoint so one refused write does not affect the others, and each promise
   * settles only after the COMMIT.
   */
  appendEvent(conversationId: string, body: EventBody, now: Date, options: AppendOptions = {}): Promise<Appended> {
    return this.#write(() => this.#appendOne(conversationId, body, now, options));
  }

  #write<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#pending.push({ work, resolve: resolve as (value: never) => void, reject });
      if (this.#pending.length === 1) setImmediate(() => this.#flush());
    });
  }

  #flush(): void {
    const batch = this.#pending.splice(0);
    const outcomes: ({ ok: unknown } | { error: unknown })[] = [];
    try {
      transaction(this.#db, () => {
        for (const item of batch) {
          this.#db.exec("SAVEPOINT write");
          try {
            outcomes.push({ ok: item.work() });
            this.#db.exec("RELEASE write");
          } catch (error) {
            this.#db.exec("ROLLBACK TO write");
            this.#db.exec("RELEASE write");
            outcomes.push({ error });
          }
        }
      });
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, index) => {
      const outcome = outcomes[index]!;
      if ("ok" in outcome) item.resolve(outcome.ok as never);
      else item.reject(outcome.error);
    });
  }

  #appendOne(conversationId: string, body: EventBody, now: Date, options: AppendOptions): Appended {
    const clientId = body.type === "message" ? body.clientId : null;
    const answerId = "answerId" in body ? body.answerId : null;
    const at = now.toISOString();
    if (clientId !== null) {
      const existing = this.#statements.eventByClientId.get(conversationId, clientId) as EventRow | undefined;
      if (existing) return { event: toEvent(existing), duplicate: true };
    }
    const shown = body.type === "message" || (body.type === "answer-end" && body.status === "complete") ? body.text : null;
    const next = this.#statements.nextSeq.get(at, body.type, shown, conversationId) as { last_seq: number; state: string; assigned_agent_id: string | null; assigned_agent_name: string | null } | undefined;
    if (!next) throw new AppError("NOT_FOUND", "This conversation does not exist.");
    if (options.expectedAgentId !== undefined && next.assigned_agent_id !== options.expectedAgentId) {
      throw new AppError("FORBIDDEN", next.assigned_agent_name ? `${next.assigned_agent_name} owns this conversation.` : "Take over the conversation first.", {
        details: { owner: next.assigned_agent_name },
      });
    }
    if (options.expectedStates && !options.expectedStates.includes(next.state as ConversationState)) {
      throw new AppError(
        "CONFLICT",
        next.state === "agent" && next.assigned_agent_name ? `${next.assigned_agent_name} has already taken over this conversation.` : `The conversation is ${next.state}, not ${options.expectedStates.join(" or ")}.`,
        { details: { state: next.state, owner: next.assigned_agent_name } },
      );
    }
    if (body.type === "state-changed") this.#statements.setState.run(body.state, conversationId);
    this.#statements.insertEvent.run(conversationId, next.last_seq, body.type, clientId, answerId, JSON.stringify(body), at);
    if (options.assign !== undefined) this.#statements.setAssigned.run(options.assign?.id ?? null, options.assign?.name ?? null, conversationId);
    if (options.action) this.#statements.insertAction.run(conversationId, options.action.agentId, options.action.agentName, options.action.action, at);
    if (options.handoff) {
      const { reason, question, confidence, passages, draft } = options.handoff;
      this.#statements.insertHandoff.run(conversationId, next.last_seq, reason, question, confidence ? JSON.stringify(confidence) : null, JSON.stringify(passages), draft, at);
    }
    return { event: { ...body, conversationId, seq: next.last_seq, at }, duplicate: false };
  }

  async listEvents(conversationId: string, afterSeq: number, limit = 10_000) {
    return (this.#statements.listEvents.all(conversationId, afterSeq, limit) as EventRow[]).map(toEvent);
  }

  async listPendingReplies(messagesSince?: Date) {
    return (this.#statements.pending.all(messagesSince?.toISOString() ?? "") as EventRow[]).map(toEvent);
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
    const row = this.#db.prepare(`${SUMMARY_SELECT} WHERE c.id = ?`).get(id) as SummaryRow | undefined;
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

  addNote(note: Note): Promise<void> {
    return this.#write(() => {
      this.#statements.insertNote.run(note.id, note.conversationId, note.agentId, note.agentName, note.text, note.at);
      this.#statements.insertAction.run(note.conversationId, note.agentId, note.agentName, "note", note.at);
    });
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
    // Only a finished answer of this very conversation can be rated: the answer id alone proves nothing.
    if (!this.#statements.answerEnded.get(answerId, conversationId)) return null;
    const at = now.toISOString();
    this.#statements.upsertFeedback.run(conversationId, answerId, rating, at);
    return { answerId, rating, at };
  }

  async listFeedback(conversationId: string): Promise<AnswerFeedback[]> {
    return (this.#statements.feedback.all(conversationId) as { answer_id: string; rating: AnswerFeedback["rating"]; at: string }[]).map((row) => ({
      answerId: row.answer_id, rating: row.rating, at: row.at,
    }));
  }

  async close() {
    if (this.#pending.length > 0) this.#flush();
    if (this.#db.isOpen) this.#db.close();
  }
}

/** One row per conversation with its last message, latest hand-off and whether a contact was left. */
const SUMMARY_SELECT = `
  SELECT c.*,
    h.reason, h.question, h.confidence, h.passages, h.draft, h.at AS handoff_at
  FROM conversations c
  LEFT JOIN handoffs h ON h.conversation_id = c.id AND h.seq = (SELECT max(seq) FROM handoffs WHERE conversation_id = c.id)`;
