/** The schema of the SQLite conversation store, one script per version (see openDatabase). */
export const MIGRATIONS = [
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
  `ALTER TABLE conversations ADD COLUMN assigned_agent_id TEXT;
   ALTER TABLE conversations ADD COLUMN assigned_agent_name TEXT;
   CREATE TABLE notes (
     id TEXT PRIMARY KEY,
     conversation_id TEXT NOT NULL REFERENCES conversations(id),
     agent_id TEXT NOT NULL,
     agent_name TEXT NOT NULL,
     text TEXT NOT NULL,
     at TEXT NOT NULL
   ) STRICT;
   CREATE INDEX notes_conversation ON notes(conversation_id, at);
   CREATE TABLE agent_actions (
     conversation_id TEXT NOT NULL REFERENCES conversations(id),
     agent_id TEXT NOT NULL,
     agent_name TEXT NOT NULL,
     action TEXT NOT NULL,
     at TEXT NOT NULL
   ) STRICT;
   CREATE INDEX agent_actions_conversation ON agent_actions(conversation_id, at);
   CREATE INDEX conversations_agent ON conversations(assigned_agent_id, state);`,
  `CREATE TABLE answer_feedback (
     conversation_id TEXT NOT NULL REFERENCES conversations(id),
     answer_id TEXT NOT NULL,
     rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
     at TEXT NOT NULL,
     PRIMARY KEY (conversation_id, answer_id)
   ) STRICT, WITHOUT ROWID;`,
  // Answers stream live; only their start and end are events. What the agent list shows is kept
  // on the conversation row, so a summary costs the same however long the conversation is.
  `ALTER TABLE conversations ADD COLUMN open_answer_seq INTEGER;
   ALTER TABLE conversations ADD COLUMN last_message TEXT;
   ALTER TABLE conversations ADD COLUMN last_message_at TEXT;
   ALTER TABLE conversations ADD COLUMN contact_left INTEGER NOT NULL DEFAULT 0;
   UPDATE conversations SET
     open_answer_seq = (SELECT max(s.seq) FROM events s WHERE s.conversation_id = conversations.id AND s.type = 'answer-start'
       AND NOT EXISTS (SELECT 1 FROM events x WHERE x.answer_id = s.answer_id AND x.type = 'answer-end')),
     last_message = (SELECT e.body ->> '$.text' FROM events e WHERE e.conversation_id = conversations.id
       AND (e.type = 'message' OR (e.type = 'answer-end' AND e.body ->> '$.status' = 'complete')) ORDER BY e.seq DESC LIMIT 1),
     last_message_at = (SELECT e.at FROM events e WHERE e.conversation_id = conversations.id
       AND (e.type = 'message' OR (e.type = 'answer-end' AND e.body ->> '$.status' = 'complete')) ORDER BY e.seq DESC LIMIT 1),
     contact_left = EXISTS (SELECT 1 FROM events e WHERE e.conversation_id = conversations.id AND e.type = 'contact');
   CREATE INDEX conversations_open_answer ON conversations(open_answer_seq) WHERE open_answer_seq IS NOT NULL;`,
];
