-- PostgreSQL twin of ../0008_topics.sql: the same tables, columns and indexes. INTEGER is BIGINT (Telegram ids
-- pass 2^31), REAL is DOUBLE PRECISION, AUTOINCREMENT is an identity column.

-- Forum topics (issue 16). A subscription made in a topic of a forum group belongs to that
-- topic (thread_id: Telegram's message_thread_id; 0 is the chat itself: a private chat, a
-- channel, an ordinary group, or a forum's General topic), and its alerts go there. The same
-- query in two topics is two subscriptions, and one item firing in two topics is two alerts:
-- both UNIQUE constraints gain the topic. SQLite cannot change a constraint in place, so
-- subscriptions and deliveries are rebuilt (delivery_sources, which refers to deliveries, is
-- set aside and rebuilt after, so dropping the old deliveries cascades into nothing).
-- A digest is per topic too. chat_topics remembers a topic's name (seen on /sub) and that a
-- topic was found closed or deleted: its alerts then go to General, with one note (`noted`).

-- PostgreSQL changes a constraint in place, so nothing is rebuilt here; the resulting tables,
-- constraints and indexes are the same as SQLite's.
ALTER TABLE subscriptions ADD COLUMN thread_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE subscriptions DROP CONSTRAINT subscriptions_chat_id_query_key;
ALTER TABLE subscriptions ADD CONSTRAINT subscriptions_chat_id_thread_id_query_key
    UNIQUE (chat_id, thread_id, query);
DROP INDEX subscriptions_chat;
CREATE INDEX subscriptions_chat ON subscriptions(chat_id, thread_id);

ALTER TABLE deliveries ADD COLUMN thread_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE deliveries DROP CONSTRAINT deliveries_chat_id_item_id_key;
ALTER TABLE deliveries ADD CONSTRAINT deliveries_chat_id_thread_id_item_id_key
    UNIQUE (chat_id, thread_id, item_id);

ALTER TABLE digests ADD COLUMN thread_id BIGINT NOT NULL DEFAULT 0;

CREATE TABLE chat_topics (
    chat_id             BIGINT NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
    thread_id           BIGINT NOT NULL,
    name                TEXT,                           -- as Telegram showed it, if seen
    gone_at             DOUBLE PRECISION,                           -- found closed or deleted (NULL: open)
    gone_reason         TEXT,
    noted               BIGINT NOT NULL DEFAULT 0,     -- the chat was told, in General
    PRIMARY KEY (chat_id, thread_id)
);
