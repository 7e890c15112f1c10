-- PostgreSQL twin of ../0006_fulltext.sql: the same tables, columns and indexes. INTEGER is BIGINT (Telegram ids
-- pass 2^31), REAL is DOUBLE PRECISION, AUTOINCREMENT is an identity column.

-- Full text of articles (issue 15). Per feed: whether the bot fetches its items' pages for the
-- full text ('auto': when the feed itself carries too little text; 'always'; 'never'), and the
-- outcome of the latest page fetches, for /feeds: when a page last gave a text, and the latest
-- failure with its reason.

ALTER TABLE feeds ADD COLUMN fulltext_mode TEXT NOT NULL DEFAULT 'auto'
    CHECK (fulltext_mode IN ('auto', 'always', 'never'));
ALTER TABLE feeds ADD COLUMN page_ok_at DOUBLE PRECISION;        -- last time a page gave a text
ALTER TABLE feeds ADD COLUMN page_error TEXT;        -- the latest page failure's reason
ALTER TABLE feeds ADD COLUMN page_error_at DOUBLE PRECISION;
