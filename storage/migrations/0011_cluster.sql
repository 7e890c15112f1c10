-- Several bot processes on one database (issue 17): a due feed is claimed by the process that
-- fetches it, so two processes never fetch one feed at once. `claimed_by` names the process
-- (its database application name); `claimed_until` ends the claim if that process dies
-- mid-fetch. Both are cleared when the fetch is recorded. On SQLite (one process per file)
-- the claims of a previous run are cleared at open.
ALTER TABLE feeds ADD COLUMN claimed_by TEXT;
ALTER TABLE feeds ADD COLUMN claimed_until REAL;

-- Which process leads (PostgreSQL only: the lead is an advisory lock, this row names its holder
-- so the next leader waits for the previous one to be gone before it sends: no alert twice).
CREATE TABLE cluster_leader (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    name    TEXT    NOT NULL,
    since   REAL    NOT NULL
);
