-- PostgreSQL twin of ../0005_stories.sql: the same tables, columns and indexes. INTEGER is BIGINT (Telegram ids
-- pass 2^31), REAL is DOUBLE PRECISION, AUTOINCREMENT is an identity column.

-- Story grouping (issue 13). Each item carries the key of its story ("<feed id>:<guid>" of the
-- story's first report; NULL for items stored before grouping existed). A chat's alert for a
-- story is one delivery row: the later reports that joined it for that chat are its sources,
-- and a sent alert whose sources grew waits for a silent edit (edits_wanted > edits_done).
-- A chat can switch grouping off (group_stories = 0): every item then alerts on its own.

ALTER TABLE items ADD COLUMN story TEXT;
CREATE INDEX items_story ON items(story);

ALTER TABLE chats ADD COLUMN group_stories BIGINT NOT NULL DEFAULT 1;

ALTER TABLE deliveries ADD COLUMN edits_wanted BIGINT NOT NULL DEFAULT 0;
ALTER TABLE deliveries ADD COLUMN edits_done BIGINT NOT NULL DEFAULT 0;
ALTER TABLE deliveries ADD COLUMN edit_due_at DOUBLE PRECISION;
ALTER TABLE deliveries ADD COLUMN edit_attempts BIGINT NOT NULL DEFAULT 0;
ALTER TABLE deliveries ADD COLUMN edit_error TEXT;
CREATE INDEX deliveries_edits ON deliveries(edit_due_at) WHERE edits_wanted > edits_done;

CREATE TABLE delivery_sources (
    delivery_id         BIGINT NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,
    item_id             BIGINT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    subscription_ids    TEXT    NOT NULL,               -- JSON array, as on deliveries
    matched_queries     TEXT    NOT NULL,
    created_at          DOUBLE PRECISION    NOT NULL,
    PRIMARY KEY (delivery_id, item_id)
);
CREATE INDEX delivery_sources_item ON delivery_sources(item_id);
