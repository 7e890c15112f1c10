-- PostgreSQL twin of ../0011_feed_claims.sql: the same columns. A claim whose process is no
-- longer connected (its application name gone from pg_stat_activity) is free at once.
ALTER TABLE feeds ADD COLUMN claimed_by TEXT;
ALTER TABLE feeds ADD COLUMN claimed_until DOUBLE PRECISION;

CREATE TABLE cluster_leader (
    id      BIGINT           PRIMARY KEY CHECK (id = 1),
    name    TEXT             NOT NULL,
    since   DOUBLE PRECISION NOT NULL
);
