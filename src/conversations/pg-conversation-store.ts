import { AppError } from "../errors.ts";
import type { AgentAction, ConversationSummary, Note } from "../protocol/agent-events.ts";
import type { Locale } from "../protocol/chat-payloads.ts";
import type { AnswerFeedback } from "../protocol/chat-events.ts";
import type { ConversationEvent, EventBody } from "../protocol/conversation-events.ts";
import type { Postgres, Queryable } from "../storage/postgres.ts";
import { toConversation, toEvent, toSummary, type ConversationRow, type EventRow, type SummaryRow } from "./conversation-rows.ts";
import type { Appended, AppendOptions, ConversationFilter, ConversationRecord, ConversationStore } from "./conversation-store.ts";

type PendingAppend = { conversationId: string; body: EventBody; now: Date; options: AppendOptions; resolve: (appended: Appended) => void; reject: (error: unknown) => void };
type AppendRow = { r_status: "ok" | "duplicate" | "not-found" | "forbidden" | "conflict"; r_seq: number; r_state: string | null; r_owner: string | null; r_body: EventBody | null; r_at: string | null };

/**
 * Conversations in Postgres, shared by every server. Appends are group-committed: those waiting
 * while the previous commit runs go together in the next transaction (one WAL flush), one
 * kefu_append call each, in conversation order so two servers' batches never deadlock. Appends run
 * in a few lanes at once, a conversation always in the same lane, so its appends keep their order.
 */
export class PgConversationStore implements ConversationStore {
  readonly #db: Postgres;
  readonly #lanes: { pending: PendingAppend[]; flushing: Promise<void> | null }[] = Array.from({ length: LANES }, () => ({ pending: [], flushing: null }));

  constructor(database: Postgres) {
    this.#db = database;
  }

  async createConversation(input: { id: string; tokenHash: string; productId: string | null; locale: Locale | null; now: Date }): Promise<ConversationRecord> {
    const [row] = await this.#db.query<ConversationRow>(
      `INSERT INTO conversations (id, token_hash, state, product_id, locale, last_seq, created_at, updated_at)
       VALUES ($1, $2, 'bot', $3, $4, 0, $5, $5) RETURNING *`,
      [input.id, input.tokenHash, input.productId, input.locale, input.now.toISOString()],
    );
    return toConversation(row!);
  }

  async findConversationByTokenHash(tokenHash: string): Promise<ConversationRecord | null> {
    const [row] = await this.#db.query<ConversationRow>("SELECT * FROM conversations WHERE token_hash = $1", [tokenHash]);
    return row ? toConversation(row) : null;
  }

  async getConversation(id: string): Promise<ConversationRecord | null> {
    const [row] = await this.#db.query<ConversationRow>("SELECT * FROM conversations WHERE id = $1", [id]);
    return row ? toConversation(row) : null;
  }

  async updateContext(id: string, context: { productId?: string | null; locale?: Locale | null }, now: Date): Promise<void> {
    await this.#db.query(
      `UPDATE conversations SET
         product_id = CASE WHEN $1::boolean THEN NULL ELSE coalesce($2, product_id) END,
         locale = coalesce($3, locale), updated_at = $4
       WHERE id = $5`,
      [context.productId === null, context.productId ?? null, context.locale ?? null, now.toISOString(), id],
    );
  }

  appendEvent(conversationId: string, body: EventBody, now: Date, options: AppendOptions = {}): Promise<Appended> {
    return new Promise((resolve, reject) => {
      const lane = this.#lanes[laneOf(conversationId)]!;
      lane.pending.push({ conversationId, body, now, options, resolve, reject });
      lane.flushing ??= this.#flushLoop(lane);
    });
  }

  async #flushLoop(lane: { pending: PendingAppend[]; flushing: Promise<void> | null }): Promise<void> {
    try {
      // Appends asked in the same run of JavaScript go in one transaction (an answer known whole asks
      // for its start and end back to back: they are written, or refused, together).
      await Promise.resolve();
      while (lane.pending.length > 0) {
        // Stable sort: one conversation's appends keep their order; rows are locked in one global order.
        const batch = lane.pending.splice(0).sort((a, b) => (a.conversationId < b.conversationId ? -1 : a.conversationId > b.conversationId ? 1 : 0));
        let outcomes: ({ ok: Appended } | { error: unknown })[];
        try {
          outcomes = await this.#db.transaction(async (client) => {
            const results: ({ ok: Appended } | { error: unknown })[] = [];
            for (const item of batch) results.push(await appendOne(client, item));
            return results;
          });
        } catch (error) {
          for (const item of batch) item.reject(error);
          continue;
        }
        batch.forEach((item, index) => {
          const outcome = outcomes[index]!;
          if ("ok" in outcome) item.resolve(outcome.ok);
          else item.reject(outcome.error);
        });
      }
    } finally {
      lane.flushing = null;
    }
  }

  async listEvents(conversationId: string, afterSeq: number, limit = 10_000): Promise<ConversationEvent[]> {
    const rows = await this.#db.query<EventRow>("SELECT conversation_id, seq, body, at FROM events WHERE conversation_id = $1 AND seq > $2 ORDER BY seq LIMIT $3", [conversationId, afterSeq, limit]);
    return rows.map(toEvent);
  }

  async listPendingReplies(messagesSince?: Date): Promise<ConversationEvent[]> {
    const rows = await this.#db.query<EventRow>(
      `SELECT e.conversation_id, e.seq, e.body, e.at FROM conversations c JOIN events e ON e.conversation_id = c.id AND e.seq = c.open_answer_seq
       WHERE c.open_answer_seq IS NOT NULL
       UNION ALL
       (SELECT m.conversation_id, m.seq, m.body, m.at FROM conversations c JOIN events m ON m.conversation_id = c.id
       WHERE c.state = 'bot' AND c.updated_at >= $1 AND m.at >= $1 AND m.type = 'message' AND m.body ->> 'author' = 'shopper'
         AND m.seq > coalesce((SELECT max(x.seq) FROM events x WHERE x.conversation_id = c.id AND x.type = 'state-changed'), 0)
         AND NOT EXISTS (SELECT 1 FROM events s WHERE s.conversation_id = c.id AND s.seq > m.seq AND s.type = 'answer-start' AND (s.body ->> 'replyTo')::integer = m.seq)
       ORDER BY m.conversation_id, m.seq)`,
      [messagesSince?.toISOString() ?? "-infinity"],
    );
    return rows.map(toEvent);
  }

  async getOpenAnswer(conversationId: string): Promise<(ConversationEvent & { type: "answer-start" }) | null> {
    const [row] = await this.#db.query<EventRow>(
      `SELECT e.conversation_id, e.seq, e.body, e.at FROM conversations c JOIN events e ON e.conversation_id = c.id AND e.seq = c.open_answer_seq WHERE c.id = $1`,
      [conversationId],
    );
    return row ? (toEvent(row) as ConversationEvent & { type: "answer-start" }) : null;
  }

  async listConversations(filter: ConversationFilter): Promise<ConversationSummary[]> {
    const where: string[] = [];
    const values: unknown[] = [];
    if (filter.states?.length) {
      values.push(filter.states);
      where.push(`c.state = ANY ($${values.length}::text[])`);
    }
    if (filter.assignedTo) {
      values.push(filter.assignedTo);
      where.push(`c.assigned_agent_id = $${values.length}`);
    }
    if (filter.search) {
      values.push(`%${filter.search.replace(/[\\%_]/g, (character) => `\\${character}`)}%`);
      where.push(`EXISTS (SELECT 1 FROM events e WHERE e.conversation_id = c.id AND e.type IN ('message', 'answer-end') AND e.body ->> 'text' ILIKE $${values.length})`);
    }
    values.push(filter.limit);
    const sql = `${SUMMARY_SELECT} ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
      ORDER BY c.state = 'waiting' DESC, CASE WHEN c.state = 'waiting' THEN h.at END ASC, c.updated_at DESC LIMIT $${values.length}`;
    return (await this.#db.query<SummaryRow>(sql, values)).map(toSummary);
  }

  async getSummary(id: string): Promise<ConversationSummary | null> {
    const [row] = await this.#db.query<SummaryRow>(`${SUMMARY_SELECT} WHERE c.id = $1`, [id]);
    return row ? toSummary(row) : null;
  }

  async listHandoffQuestions(reasons: readonly string[], limit: number) {
    return this.#db.query<{ conversationId: string; question: string; reason: string; at: string }>(
      `SELECT conversation_id AS "conversationId", question, reason, at FROM handoffs
       WHERE question IS NOT NULL AND reason = ANY ($1::text[]) ORDER BY at DESC LIMIT $2`,
      [reasons, limit],
    );
  }

  async listAnsweredQuestions(limit: number) {
    return this.#db.query<{ question: string; productId: string | null }>(
      `SELECT m.body ->> 'text' AS question, c.product_id AS "productId" FROM events e
       JOIN events s ON s.answer_id = e.answer_id AND s.type = 'answer-start'
       JOIN events m ON m.conversation_id = s.conversation_id AND m.seq = (s.body ->> 'replyTo')::integer
       JOIN conversations c ON c.id = e.conversation_id
       WHERE e.type = 'answer-end' AND e.body ->> 'status' = 'complete'
       ORDER BY e.at DESC LIMIT $1`,
      [limit],
    );
  }

  async addNote(note: Note): Promise<void> {
    await this.#db.transaction(async (client) => {
      await client.query("INSERT INTO notes (id, conversation_id, agent_id, agent_name, text, at) VALUES ($1, $2, $3, $4, $5, $6)", [
        note.id, note.conversationId, note.agentId, note.agentName, note.text, note.at,
      ]);
      await client.query("INSERT INTO agent_actions (conversation_id, agent_id, agent_name, action, at) VALUES ($1, $2, $3, 'note', $4)", [note.conversationId, note.agentId, note.agentName, note.at]);
    });
  }

  async listNotes(conversationId: string): Promise<Note[]> {
    return this.#db.query<Note>(
      `SELECT id, conversation_id AS "conversationId", agent_id AS "agentId", agent_name AS "agentName", text, at FROM notes WHERE conversation_id = $1 ORDER BY at, id`,
      [conversationId],
    );
  }

  async listActions(conversationId: string): Promise<AgentAction[]> {
    return this.#db.query<AgentAction>(
      `SELECT conversation_id AS "conversationId", agent_id AS "agentId", agent_name AS "agentName", action, at FROM agent_actions WHERE conversation_id = $1 ORDER BY at, id`,
      [conversationId],
    );
  }

  async rateAnswer(conversationId: string, answerId: string, rating: AnswerFeedback["rating"], now: Date): Promise<AnswerFeedback | null> {
    // Only a finished answer of this very conversation can be rated: the answer id alone proves nothing.
    const rows = await this.#db.query<{ at: string }>(
      `INSERT INTO answer_feedback (conversation_id, answer_id, rating, at)
       SELECT $1, $2, $3, $4 WHERE EXISTS (SELECT 1 FROM events WHERE answer_id = $2 AND type = 'answer-end' AND conversation_id = $1)
       ON CONFLICT (conversation_id, answer_id) DO UPDATE SET rating = excluded.rating, at = excluded.at
       RETURNING at`,
      [conversationId, answerId, rating, now.toISOString()],
    );
    return rows[0] ? { answerId, rating, at: rows[0].at } : null;
  }

  async listFeedback(conversationId: string): Promise<AnswerFeedback[]> {
    return this.#db.query<AnswerFeedback>(`SELECT answer_id AS "answerId", rating, at FROM answer_feedback WHERE conversation_id = $1 ORDER BY at, answer_id`, [conversationId]);
  }

  /** Waits for appends in flight; the pool is shared with the other stores and closed by its owner. */
  async close(): Promise<void> {
    for (const lane of this.#lanes) while (lane.flushing) await lane.flushing;
  }
}

/** Transactions committing appends at once (the pool has 10 connections; reads need some too). */
const LANES = 4;

function laneOf(conversationId: string): number {
  let hash = 0;
  for (let index = 0; index < conversationId.length; index += 1) hash = (hash * 31 + conversationId.charCodeAt(index)) | 0;
  return Math.abs(hash) % LANES;
}

async function appendOne(client: Queryable, item: PendingAppend): Promise<{ ok: Appended } | { error: unknown }> {
  const { conversationId, body, now, options } = item;
  const clientId = body.type === "message" ? body.clientId : null;
  const answerId = "answerId" in body ? body.answerId : null;
  const [row] = await client.query<AppendRow>("SELECT * FROM kefu_append($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)", [
    conversationId, body.type, clientId, answerId, JSON.stringify(body), now.toISOString(),
    options.expectedStates ?? null, options.expectedAgentId !== undefined, options.expectedAgentId ?? null,
    options.assign !== undefined, options.assign?.id ?? null, options.assign?.name ?? null,
    options.action?.action ?? null, options.action?.agentId ?? null, options.action?.agentName ?? null,
    options.handoff ? JSON.stringify(options.handoff) : null,
  ]);
  const result = row!;
  switch (result.r_status) {
    case "ok":
      return { ok: { event: { ...body, conversationId, seq: result.r_seq, at: result.r_at! }, duplicate: false } };
    case "duplicate":
      return { ok: { event: { ...result.r_body!, conversationId, seq: result.r_seq, at: result.r_at! }, duplicate: true } };
    case "not-found":
      return { error: new AppError("NOT_FOUND", "This conversation does not exist.") };
    case "forbidden":
      return { error: new AppError("FORBIDDEN", result.r_owner ? `${result.r_owner} owns this conversation.` : "Take over the conversation first.", { details: { owner: result.r_owner } }) };
    case "conflict":
      return {
        error: new AppError(
          "CONFLICT",
          result.r_state === "agent" && result.r_owner ? `${result.r_owner} has already taken over this conversation.` : `The conversation is ${result.r_state}, not ${options.expectedStates!.join(" or ")}.`,
          { details: { state: result.r_state, owner: result.r_owner } },
        ),
      };
  }
}

/** One row per conversation (last message and contact kept on the row by kefu_append) with its latest hand-off. */
const SUMMARY_SELECT = `
  SELECT c.*, h.reason, h.question, h.confidence, h.passages, h.draft, h.at AS handoff_at
  FROM conversations c
  LEFT JOIN LATERAL (SELECT * FROM handoffs WHERE conversation_id = c.id ORDER BY seq DESC LIMIT 1) h ON true`;
