-- Digests and quiet hours (issue 16). A chat may batch its alerts (delivery_schedule: instant,
-- hourly, or daily at digest_at minutes after local midnight) and keep quiet hours
-- (quiet_from..quiet_until, minutes after local midnight, across midnight when from > until;
-- NULL: none). alert_mode stays what it was: the sound, not the timing.
-- A held alert stays a pending delivery with digest_id set: the worker's queue skips it, and
-- the digest (one claimable row per chat and due moment) sends its deliveries as one message
-- and marks them sent in the same transaction as its own progress.
-- An urgent subscription breaks through quiet hours and digests.

ALTER TABLE chats ADD COLUMN delivery_schedule TEXT NOT NULL DEFAULT 'instant';
ALTER TABLE chats ADD COLUMN digest_at INTEGER NOT NULL DEFAULT 540;
ALTER TABLE chats ADD COLUMN quiet_from INTEGER;
ALTER TABLE chats ADD COLUMN quiet_until INTEGER;

ALTER TABLE subscriptions ADD COLUMN urgent INTEGER NOT NULL DEFAULT 0;

CREATE TABLE digests (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id             INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
    due_at              REAL    NOT NULL,               -- when the held alerts may go
    status              TEXT    NOT NULL DEFAULT 'pending'
                        CHECK (status IN ('pending', 'sent', 'failed', 'cancelled')),
    attempts            INTEGER NOT NULL DEFAULT 0,
    next_attempt_at     REAL    NOT NULL,
    parts_sent          INTEGER NOT NULL DEFAULT 0,     -- messages sent (split only at 4096)
    message_id          INTEGER,                        -- the latest part's
    error               TEXT,
    created_at          REAL    NOT NULL,
    sent_at             REAL
);
CREATE INDEX digests_queue ON digests(status, next_attempt_at);
CREATE INDEX digests_chat ON digests(chat_id, status, due_at);

ALTER TABLE deliveries ADD COLUMN digest_id INTEGER REFERENCES digests(id) ON DELETE SET NULL;
CREATE INDEX deliveries_digest ON deliveries(digest_id) WHERE digest_id IS NOT NULL;
