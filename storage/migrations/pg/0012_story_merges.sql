-- PostgreSQL twin of ../0012_story_merges.sql: the same table.
CREATE TABLE story_aliases (
    alias       TEXT             PRIMARY KEY,
    story       TEXT             NOT NULL,
    created_at  DOUBLE PRECISION NOT NULL
);
CREATE INDEX story_aliases_story ON story_aliases(story);
CREATE INDEX story_aliases_created ON story_aliases(created_at);
