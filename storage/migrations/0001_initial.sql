-- The whole product's schema. Timestamps are UTC Unix seconds (REAL): they compare and sort
-- cheaply and never carry a time zone that could disagree with another row's.

CREATE TABLE chats (
    id                  INTEGER PRIMARY KEY,            -- Telegram chat id
    type                TEXT    NOT NULL,               -- private, group, supergroup, channel
    title               TEXT,
    language            TEXT    NOT NULL DEFAULT 'ru',
    timezone            TEXT    NOT NULL DEFAULT 'Europe/Moscow',
    alert_mode          TEXT    NOT NULL DEFAULT 'instant',
    active              INTEGER NOT NULL DEFAULT 1,     -- 0: blocked us, kicked us, or vanished
    paused              INTEGER NOT NULL DEFAULT 0,     -- /pause
    inactive_reason     TEXT,
    created_at          REAL    NOT NULL,
    updated_at          REAL    NOT NULL
);

CREATE TABLE subscriptions (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id             INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
    query               TEXT    NOT NULL,               -- as the user typed it
    paused              INTEGER NOT NULL DEFAULT 0,
    created_at          REAL    NOT NULL,
    UNIQUE (chat_id, query)
);
CREATE INDEX subscriptions_chat ON subscriptions(chat_id);

CREATE TABLE feeds (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    url                 TEXT    NOT NULL UNIQUE,
    title               TEXT,
    is_default          INTEGER NOT NULL DEFAULT 0,     -- from the operator's FEEDS
    added_by            INTEGER REFERENCES chats(id) ON DELETE SET NULL,
    etag                TEXT,
    last_modified       TEXT,
    primed              INTEGER NOT NULL DEFAULT 0,     -- first fetch stored its backlog silently
    next_fetch_at       REAL    NOT NULL,
    last_fetch_at       REAL,
    last_success_at     REAL,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    last_error          TEXT,
    created_at          REAL    NOT NULL
);
CREATE INDEX feeds_next_fetch ON feeds(next_fetch_at);

-- A chat's own feeds (enabled = 1) and the default feeds it switched off (enabled = 0).
CREATE TABLE chat_feeds (
    chat_id             INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
    feed_id             INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    enabled             INTEGER NOT NULL DEFAULT 1,
    created_at          REAL    NOT NULL,
    PRIMARY KEY (chat_id, feed_id)
);
CREATE INDEX chat_feeds_feed ON chat_feeds(feed_id);

CREATE TABLE items (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    feed_id             INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    guid                TEXT    NOT NULL,
    link                TEXT,
    canonical_link      TEXT,
    title               TEXT    NOT NULL,
    text                TEXT    NOT NULL,
    published_at        REAL    NOT NULL,
    fetched_at          REAL    NOT NULL,
    UNIQUE (feed_id, guid)
);
CREATE INDEX items_canonical_link ON items(canonical_link);
CREATE INDEX items_published ON items(published_at);

CREATE TABLE deliveries (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id             INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
    item_id             INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    subscription_ids    TEXT    NOT NULL,               -- JSON array of ids at match time
    matched_queries     TEXT    NOT NULL,               -- JSON array: survives a later /unsub
    status              TEXT    NOT NULL DEFAULT 'pending'
                        CHECK (status IN ('pending', 'sent', 'failed', 'cancelled', 'held')),
    attempts            INTEGER NOT NULL DEFAULT 0,
    next_attempt_at     REAL    NOT NULL,
    created_at          REAL    NOT NULL,
    sent_at             REAL,
    message_id          INTEGER,
    error               TEXT,
    UNIQUE (chat_id, item_id)
);
CREATE INDEX deliveries_queue ON deliveries(status, next_attempt_at, id);
CREATE INDEX deliveries_chat_sent ON deliveries(chat_id, status, sent_at);
CREATE INDEX deliveries_item ON deliveries(item_id);
