-- /recent searches a chat may page through: the page buttons carry a search's id, not its
-- query (a button's data is 64 bytes), so any member of a group can page, after a restart too.

CREATE TABLE searches (
    id          INTEGER PRIMARY KEY,
    chat_id     INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
    query       TEXT    NOT NULL,
    created_at  REAL    NOT NULL,
    UNIQUE (chat_id, query)
);
