-- Issue 20: each player's editor timeline in a match, as packed chunks
-- (internal/timeline's DEFLATE form): appended every few seconds while the
-- match runs, compacted into one chunk per player once it ended.

CREATE TABLE match_timelines (
    id         bigserial   PRIMARY KEY,
    match_id   text        NOT NULL REFERENCES matches (id) ON DELETE CASCADE,
    user_id    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    data       bytea       NOT NULL,
    created_at timestamptz NOT NULL
);

CREATE INDEX match_timelines_match ON match_timelines (match_id, user_id, id);
