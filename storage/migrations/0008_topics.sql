-- Forum topics (issue 16). A subscription made in a topic of a forum group belongs to that
-- topic (thread_id: Telegram's message_thread_id; 0 is the chat itself: a private chat, a
-- channel, an ordinary group, or a forum's General topic), and its alerts go there. The same
-- query in two topics is two subscriptions, and one item firing in two topics is two alerts:
-- both UNIQUE constraints gain the topic. SQLite cannot change a constraint in place, so
-- subscriptions and deliveries are rebuilt (delivery_sources, which refers to deliveries, is
-- set aside and rebuilt after, so dropping the old deliveries cascades into nothing).
-- A digest is per topic too. chat_topics remembers a topic's name (seen on /sub) and that a
-- topic was found closed or deleted: its alerts then go to General, with one note (`noted`).

CREATE TABLE subscriptions_v8 (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id             INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
    thread_id           INTEGER NOT NULL DEFAULT 0,     -- the forum topic; 0: the chat itself
    query               TEXT    NOT NULL,
    paused              INTEGER NOT NULL DEFAULT 0,
    created_at          REAL    NOT NULL,
    urgent              INTEGER NOT NULL DEFAULT 0,
    UNIQUE (chat_id, thread_id, query)
);
INSERT INTO subscriptions_v8 (id, chat_id, thread_id, query, paused, created_at, urgent)
    SELECT id, chat_id, 0, query, paused, created_at, urgent FROM subscriptions;
DROP TABLE subscriptions;
ALTER TABLE subscriptions_v8 RENAME TO subscriptions;
CREATE INDEX subscriptions_chat ON subscriptions(chat_id, thread_id);

CREATE TABLE delivery_sources_v7 AS SELECT * FROM delivery_sources;
DROP TABLE delivery_sources;

CREATE TABLE deliveries_v8 (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id             INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
    thread_id           INTEGER NOT NULL DEFAULT 0,     -- the forum topic it goes to
    item_id             INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    subscription_ids    TEXT    NOT NULL,
    matched_queries     TEXT    NOT NULL,
    status              TEXT    NOT NULL DEFAULT 'pending'
                        CHECK (status IN ('pending', 'sent', 'failed', 'cancelled', 'held')),
    attempts            INTEGER NOT NULL DEFAULT 0,
    next_attempt_at     REAL    NOT NULL,
    created_at          REAL    NOT NULL,
    sent_at             REAL,
    message_id          INTEGER,
    error               TEXT,
    edits_wanted        INTEGER NOT NULL DEFAULT 0,
    edits_done          INTEGER NOT NULL DEFAULT 0,
    edit_due_at         REAL,
    edit_attempts       INTEGER NOT NULL DEFAULT 0,
    edit_error          TEXT,
    digest_id           INTEGER REFERENCES digests(id) ON DELETE SET NULL,
    UNIQUE (chat_id, thread_id, item_id)
);
INSERT INTO deliveries_v8 (
    id, chat_id, thread_id, item_id, subscription_ids, matched_queries, status, attempts,
    next_attempt_at, created_at, sent_at, message_id, error, edits_wanted, edits_done,
    edit_due_at, edit_attempts, edit_error, digest_id)
    SELECT id, chat_id, 0, item_id, subscription_ids, matched_queries, status, attempts,
    next_attempt_at, created_at, sent_at, message_id, error, edits_wanted, edits_done,
    edit_due_at, edit_attempts, edit_error, digest_id FROM deliveries;
DROP TABLE deliveries;
ALTER TABLE deliveries_v8 RENAME TO deliveries;
CREATE INDEX deliveries_queue ON deliveries(status, next_attempt_at, id);
CREATE INDEX deliveries_chat_sent ON deliveries(chat_id, status, sent_at);
CREATE INDEX deliveries_item ON deliveries(item_id);
CREATE INDEX deliveries_edits ON deliveries(edit_due_at) WHERE edits_wanted > edits_done;
CREATE INDEX deliveries_digest ON deliveries(digest_id) WHERE digest_id IS NOT NULL;

CREATE TABLE delivery_sources (
    delivery_id         INTEGER NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,
    item_id             INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    subscription_ids    TEXT    NOT NULL,
    matched_queries     TEXT    NOT NULL,
    created_at          REAL    NOT NULL,
    PRIMARY KEY (delivery_id, item_id)
);
INSERT INTO delivery_sources (delivery_id, item_id, subscription_ids, matched_queries, created_at)
    SELECT delivery_id, item_id, subscription_ids, matched_queries, created_at
    FROM delivery_sources_v7;
DROP TABLE delivery_sources_v7;
CREATE INDEX delivery_sources_item ON delivery_sources(item_id);

ALTER TABLE digests ADD COLUMN thread_id INTEGER NOT NULL DEFAULT 0;

CREATE TABLE chat_topics (
    chat_id             INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
    thread_id           INTEGER NOT NULL,
    name                TEXT,                           -- as Telegram showed it, if seen
    gone_at             REAL,                           -- found closed or deleted (NULL: open)
    gone_reason         TEXT,
    noted               INTEGER NOT NULL DEFAULT 0,     -- the chat was told, in General
    PRIMARY KEY (chat_id, thread_id)
);
