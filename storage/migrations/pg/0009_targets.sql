-- PostgreSQL twin of ../0009_targets.sql: the same tables, columns and indexes. INTEGER is BIGINT (Telegram ids
-- pass 2^31), REAL is DOUBLE PRECISION, AUTOINCREMENT is an identity column.

-- Channels as destinations (issue 16). A channel cannot send commands, so it is configured
-- from its administrators' private chats: chat_managers lists who may pick a channel (the
-- user who added the bot, and the administrators Telegram named then; rights are checked
-- again with Telegram on every change), and user_targets which chat a user's private
-- commands act on now (no row: their own private chat).

CREATE TABLE chat_managers (
    chat_id             BIGINT NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
    user_id             BIGINT NOT NULL,
    created_at          DOUBLE PRECISION    NOT NULL,
    PRIMARY KEY (chat_id, user_id)
);
CREATE INDEX chat_managers_user ON chat_managers(user_id);

CREATE TABLE user_targets (
    user_id             BIGINT PRIMARY KEY,
    chat_id             BIGINT NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
    updated_at          DOUBLE PRECISION    NOT NULL
);
