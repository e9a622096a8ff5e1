-- Issue 6: matches, per-player results, rating history, XP events.
--
-- Timestamps are INTEGER microseconds since the Unix epoch (see 0001);
-- 0 means "not yet" (a match has no start before its countdown).
-- The deadline is persisted with the state machine's snapshot so any API
-- node can restore a running match and finish it on time.

CREATE TABLE matches (
    id                 TEXT    PRIMARY KEY CHECK (id <> ''),
    mode               TEXT    NOT NULL CHECK (mode IN ('ranked', 'casual', 'ffa', 'private', 'practice')),
    problem_id         TEXT    NOT NULL DEFAULT '',
    problem_version    INTEGER NOT NULL DEFAULT 0,
    problem_title      TEXT    NOT NULL DEFAULT '',
    problem_difficulty INTEGER NOT NULL DEFAULT 0,
    state              TEXT    NOT NULL,
    created_at         INTEGER NOT NULL,
    starts_at          INTEGER NOT NULL DEFAULT 0,
    deadline           INTEGER NOT NULL DEFAULT 0,
    finished_at        INTEGER NOT NULL DEFAULT 0,
    reason             TEXT    NOT NULL DEFAULT '',
    winner_id          INTEGER NOT NULL DEFAULT 0,
    snapshot           BLOB    NOT NULL DEFAULT x'7b7d'
) WITHOUT ROWID;
CREATE INDEX matches_active ON matches (created_at) WHERE state NOT IN ('finished', 'cancelled');
CREATE INDEX matches_finished ON matches (finished_at) WHERE state = 'finished';

CREATE TABLE match_players (
    match_id           TEXT    NOT NULL REFERENCES matches (id) ON DELETE CASCADE,
    user_id            INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    seat               INTEGER NOT NULL,
    rating_before      REAL    NOT NULL,
    rd_before          REAL    NOT NULL,
    rating_after       REAL    NOT NULL,
    rd_after           REAL    NOT NULL,
    xp_gained          INTEGER NOT NULL DEFAULT 0,
    result             TEXT    NOT NULL DEFAULT '' CHECK (result IN ('', 'win', 'loss', 'draw')),
    place              INTEGER NOT NULL DEFAULT 0,
    best_submission_id TEXT    NOT NULL DEFAULT '',
    finished_at        INTEGER NOT NULL DEFAULT 0, -- copy of the match's, for per-user history order
    PRIMARY KEY (match_id, user_id)
) WITHOUT ROWID;
CREATE INDEX match_players_user ON match_players (user_id, finished_at);

CREATE TABLE rating_history (
    user_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    match_id TEXT    NOT NULL REFERENCES matches (id) ON DELETE CASCADE,
    at       INTEGER NOT NULL,
    rating   REAL    NOT NULL,
    rd       REAL    NOT NULL,
    delta    REAL    NOT NULL,
    PRIMARY KEY (user_id, match_id)
) WITHOUT ROWID;
CREATE INDEX rating_history_user_at ON rating_history (user_id, at);

-- One XP event per (match, user): a finish replayed after a node failover
-- cannot grant XP twice.
CREATE TABLE xp_events (
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    match_id  TEXT    NOT NULL REFERENCES matches (id) ON DELETE CASCADE,
    at        INTEGER NOT NULL,
    amount    INTEGER NOT NULL CHECK (amount >= 0),
    breakdown BLOB    NOT NULL DEFAULT x'7b7d',
    PRIMARY KEY (user_id, match_id)
) WITHOUT ROWID;
CREATE INDEX xp_events_at ON xp_events (at, user_id);
CREATE INDEX profiles_rating ON profiles (rating DESC, user_id);
