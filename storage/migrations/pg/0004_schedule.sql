-- PostgreSQL twin of ../0004_schedule.sql: the same tables, columns and indexes. INTEGER is BIGINT (Telegram ids
-- pass 2^31), REAL is DOUBLE PRECISION, AUTOINCREMENT is an identity column.

-- Adaptive polling (issue 14): each feed's learnt publication rhythm ("rate_items gaps since
-- rate_since", and its newest publication, rate_latest), the interval last chosen and why (for /feeds), the feed's own <ttl>, and a log
-- of fetches so /stats can say how many requests an hour the bot makes.

ALTER TABLE feeds ADD COLUMN rate_items BIGINT NOT NULL DEFAULT 0;
ALTER TABLE feeds ADD COLUMN rate_since DOUBLE PRECISION;
ALTER TABLE feeds ADD COLUMN rate_latest DOUBLE PRECISION;
ALTER TABLE feeds ADD COLUMN ttl_seconds DOUBLE PRECISION;
ALTER TABLE feeds ADD COLUMN poll_interval DOUBLE PRECISION;
ALTER TABLE feeds ADD COLUMN poll_reason TEXT;

CREATE TABLE fetches (
    at       DOUBLE PRECISION    NOT NULL,
    feed_id  BIGINT NOT NULL
);
CREATE INDEX fetches_at ON fetches(at);
