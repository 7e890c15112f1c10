-- Stories merged after the fact (issue 13): a report that fits two live stories shows they are
-- one happening split by wording, and the grouper folds the newer into the older. The newer
-- story's items and mutes are relabelled at once; the alias stays so that a report decided
-- under the old key (by another process, or in flight) is stored under the kept one.
-- Retention forgets an alias with the items it could still name.
CREATE TABLE story_aliases (
    alias       TEXT    PRIMARY KEY,
    story       TEXT    NOT NULL,
    created_at  REAL    NOT NULL
);
CREATE INDEX story_aliases_story ON story_aliases(story);
CREATE INDEX story_aliases_created ON story_aliases(created_at);
