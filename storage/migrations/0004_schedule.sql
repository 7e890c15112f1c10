-- Adaptive polling (issue 14): each feed's learnt publication rhythm ("rate_items gaps since
-- rate_since", and its newest publication, rate_latest), the interval last chosen and why (for /feeds), the feed's own <ttl>, and a log
-- of fetches so /stats can say how many requests an hour the bot makes.

ALTER TABLE feeds ADD COLUMN rate_items INTEGER NOT NULL DEFAULT 0;
ALTER TABLE feeds ADD COLUMN rate_since REAL;
ALTER TABLE feeds ADD COLUMN rate_latest REAL;
ALTER TABLE feeds ADD COLUMN ttl_seconds REAL;
ALTER TABLE feeds ADD COLUMN poll_interval REAL;
ALTER TABLE feeds ADD COLUMN poll_reason TEXT;

CREATE TABLE fetches (
    at       REAL    NOT NULL,
    feed_id  INTEGER NOT NULL
);
CREATE INDEX fetches_at ON fetches(at);
