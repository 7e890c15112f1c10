-- PostgreSQL twin of ../0002_feed_quota.sql: the same tables, columns and indexes. INTEGER is BIGINT (Telegram ids
-- pass 2^31), REAL is DOUBLE PRECISION, AUTOINCREMENT is an identity column.

-- Storage quota per feed (issue 11): what was cut, so /feeds can say so, and an index that
-- counts a feed's items of the last day without reading all of them.

ALTER TABLE feeds ADD COLUMN cut_at DOUBLE PRECISION;                            -- last time items were dropped
ALTER TABLE feeds ADD COLUMN cut_items BIGINT NOT NULL DEFAULT 0;   -- dropped in the day up to cut_at
ALTER TABLE feeds ADD COLUMN clipped_at DOUBLE PRECISION;                        -- last time a text was shortened

CREATE INDEX items_feed_fetched ON items(feed_id, fetched_at);

-- Publication times are clamped at EARLIEST_PUBLISHED (2000-01-01) from now on; old rows too,
-- so the stored order key equals what is read back.
UPDATE items SET published_at = 946684800.0 WHERE published_at < 946684800.0;
