-- PostgreSQL twin of ../0010_tuning.sql: the same tables, columns and indexes. INTEGER is BIGINT (Telegram ids
-- pass 2^31), REAL is DOUBLE PRECISION, AUTOINCREMENT is an identity column.

-- Tuning from the alert (issue 16). «Отложить» snoozes one subscription until a moment
-- (snoozed_until, NULL: not snoozed); it is honoured where `paused` is, and «▶️» in /list ends
-- it. «Не показывать этот сюжет» mutes a story for one chat: later reports and follow-ups with
-- the same story key (items.story) give that chat no alert and no edit of its alert. A mute
-- lasts until `until` (NULL: while the story is kept); retention forgets mutes with the items.

ALTER TABLE subscriptions ADD COLUMN snoozed_until DOUBLE PRECISION;

CREATE TABLE chat_muted_stories (
    chat_id             BIGINT NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
    story               TEXT    NOT NULL,
    until               DOUBLE PRECISION,
    created_at          DOUBLE PRECISION    NOT NULL,
    PRIMARY KEY (chat_id, story)
);
CREATE INDEX chat_muted_stories_story ON chat_muted_stories(story);
CREATE INDEX chat_muted_stories_created ON chat_muted_stories(created_at);
