import { AppError, type ErrorCode } from "../errors.ts";
import type { Locale } from "../protocol/chat-payloads.ts";
import type { AnswerFeedback } from "../protocol/chat-events.ts";
import type { ConversationState, EventBody } from "../protocol/conversation-events.ts";
import type { Note } from "../protocol/agent-events.ts";
import { transaction, type Database } from "../storage/database.ts";
import { toConversation, toEvent, type ConversationRow, type EventRow } from "./conversation-rows.ts";
import type { Appended, AppendOptions, ConversationRecord } from "./conversation-store.ts";

/** One write to the conversation database, as a message (it runs in the writer thread). Times are ISO strings. */
export type WriteOp =
  | { op: "create"; input: { id: string; tokenHash: string; productId: string | null; locale: Locale | null; at: string } }
  | { op: "context"; id: string; context: { productId?: string | null; locale?: Locale | null }; at: string }
  | { op: "append"; conversationId: string; body: EventBody; at: string; options: AppendOptions }
  | { op: "note"; note: Note }
  | { op: "rate"; conversationId: string; answerId: string; rating: AnswerFeedback["rating"]; at: string };

export type WriteResult = ConversationRecord | Appended | AnswerFeedback | null | undefined;

/** How one write of a batch ended; an error travels as its code and message (an AppError again on the other side). */
export type WriteOutcome = { ok: WriteResult } | { error: { code: ErrorCode | null; message: string; details?: Record<string, unknown> } };

/**
 * The writes of the SQLite conversation store, on a connection of their own. A batch is one
 * transaction (one fsync under synchronous=FULL), each write in its own savepoint so one refused
 * write does not affect the others. Seq comes from the conversation row in the same transaction
 * (gapless), a known clientId returns the stored event (duplicate), and state and owner checks are
 * compare-and-set inside it.
 */
export class ConversationWrites {
  readonly #db: Database;
  readonly #statements;

  constructor(db: Database) {
    this.#db = db;
    this.#statements = {
      insertConversation: db.prepare(
        `INSERT INTO conversations (id, token_hash, state, product_id, locale, last_seq, created_at, updated_at)
         VALUES (?, ?, 'bot', ?, ?, 0, ?, ?)`,
      ),
      byId: db.prepare(`SELECT * FROM conversations WHERE id = ?`),
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
      answerEnded: db.prepare(`SELECT 1 FROM events WHERE answer_id = ? AND type = 'answer-end' AND conversation_id = ?`),
      upsertFeedback: db.prepare(
        `INSERT INTO answer_feedback (conversation_id, answer_id, rating, at) VALUES (?, ?, ?, ?)
         ON CONFLICT (conversation_id, answer_id) DO UPDATE SET rating = excluded.rating, at = excluded.at`,
      ),
    };
  }

  /** Run a batch in one transaction; a failing transaction (e.g. a full disk) fails every write of it. */
  apply(batch: readonly WriteOp[]): WriteOutcome[] {
    const outcomes: WriteOutcome[] = [];
    try {
      transaction(this.#db, () => {
        for (const write of batch) {
          this.#db.exec("SAVEPOINT write");
          try {
            outcomes.push({ ok: this.#one(write) });
            this.#db.exec("RELEASE write");
          } catch (error) {
            this.#db.exec("ROLLBACK TO write");
            this.#db.exec("RELEASE write");
            outcomes.push({ error: describe(error) });
          }
        }
      });
    } catch (error) {
      return batch.map(() => ({ error: describe(error) }));
    }
    return outcomes;
  }

  #one(write: WriteOp): WriteResult {
    const statements = this.#statements;
    switch (write.op) {
      case "create": {
        const { id, tokenHash, productId, locale, at } = write.input;
        statements.insertConversation.run(id, tokenHash, productId, locale, at, at);
        return toConversation(statements.byId.get(id) as ConversationRow);
      }
      case "context":
        statements.updateContext.run(write.context.productId ?? null, write.context.locale ?? null, write.at, write.id);
        if (write.context.productId === null) statements.clearProduct.run(write.id);
        return undefined;
      case "append":
        return this.#append(write.conversationId, write.body, write.at, write.options);
      case "note": {
        const { note } = write;
        statements.insertNote.run(note.id, note.conversationId, note.agentId, note.agentName, note.text, note.at);
        statements.insertAction.run(note.conversationId, note.agentId, note.agentName, "note", note.at);
        return undefined;
      }
      case "rate":
        // Only a finished answer of this very conversation can be rated: the answer id alone proves nothing.
        if (!statements.answerEnded.get(write.answerId, write.conversationId)) return null;
        statements.upsertFeedback.run(write.conversationId, write.answerId, write.rating, write.at);
        return { answerId: write.answerId, rating: write.rating, at: write.at };
    }
  }

  #append(conversationId: string, body: EventBody, at: string, options: AppendOptions): Appended {
    const statements = this.#statements;
    const clientId = body.type === "message" ? body.clientId : null;
    const answerId = "answerId" in body ? body.answerId : null;
    if (clientId !== null) {
      const existing = statements.eventByClientId.get(conversationId, clientId) as EventRow | undefined;
      if (existing) return { event: toEvent(existing), duplicate: true };
    }
    const shown = body.type === "message" || (body.type === "answer-end" && body.status === "complete") ? body.text : null;
    const next = statements.nextSeq.get(at, body.type, shown, conversationId) as { last_seq: number; state: string; assigned_agent_id: string | null; assigned_agent_name: string | null } | undefined;
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
    if (body.type === "state-changed") statements.setState.run(body.state, conversationId);
    statements.insertEvent.run(conversationId, next.last_seq, body.type, clientId, answerId, JSON.stringify(body), at);
    if (options.assign !== undefined) statements.setAssigned.run(options.assign?.id ?? null, options.assign?.name ?? null, conversationId);
    if (options.action) statements.insertAction.run(conversationId, options.action.agentId, options.action.agentName, options.action.action, at);
    if (options.handoff) {
      const { reason, question, confidence, passages, draft } = options.handoff;
      statements.insertHandoff.run(conversationId, next.last_seq, reason, question, confidence ? JSON.stringify(confidence) : null, JSON.stringify(passages), draft, at);
    }
    return { event: { ...body, conversationId, seq: next.last_seq, at }, duplicate: false };
  }
}

function describe(error: unknown): { code: ErrorCode | null; message: string; details?: Record<string, unknown> } {
  if (error instanceof AppError) return { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) };
  return { code: null, message: error instanceof Error ? error.message : String(error) };
}

/** The error a write's outcome carries, rebuilt on the caller's side. */
export function toWriteError(error: { code: ErrorCode | null; message: string; details?: Record<string, unknown> }): Error {
  return error.code ? new AppError(error.code, error.message, error.details ? { details: error.details } : undefined) : new Error(error.message);
}
