-- Issue 20: each player's editor timeline in a match, as packed chunks
-- (internal/timeline's DEFLATE form): appended every few seconds while the
-- match runs, compacted into one chunk per player once it ended.

CREATE TABLE match_timelines (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    match_id   TEXT    NOT NULL REFERENCES matches (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    data       BLOB    NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE INDEX match_timelines_match ON match_timelines (match_id, user_id, id);
