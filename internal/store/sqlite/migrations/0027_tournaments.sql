-- Issue 21: tournaments (Swiss and single elimination), registrations
-- with check-in, rounds and their games. Durations are INTEGER
-- microseconds like the timestamps; 0 means "not yet" or "none".

CREATE TABLE tournaments (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    name         TEXT    NOT NULL CHECK (name <> ''),
    format       TEXT    NOT NULL CHECK (format IN ('swiss', 'elimination')),
    swiss_rounds INTEGER NOT NULL DEFAULT 0,
    state        TEXT    NOT NULL CHECK (state IN ('scheduled', 'running', 'finished', 'cancelled')),
    starts_at    INTEGER NOT NULL,
    check_in     INTEGER NOT NULL DEFAULT 0,
    round_break  INTEGER NOT NULL DEFAULT 0,
    match_length INTEGER NOT NULL DEFAULT 0,
    problems     TEXT    NOT NULL DEFAULT '', -- comma-separated problem ids
    max_players  INTEGER NOT NULL DEFAULT 0,
    created_by   INTEGER NOT NULL REFERENCES users (id),
    created_at   INTEGER NOT NULL,
    round        INTEGER NOT NULL DEFAULT 0,
    finished_at  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX tournaments_starts ON tournaments (starts_at);

CREATE TABLE tournament_players (
    tournament_id INTEGER NOT NULL REFERENCES tournaments (id) ON DELETE CASCADE,
    user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    registered_at INTEGER NOT NULL,
    checked_in_at INTEGER NOT NULL DEFAULT 0,
    seed          INTEGER NOT NULL DEFAULT 0,
    rating        REAL    NOT NULL DEFAULT 0,
    place         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (tournament_id, user_id)
) WITHOUT ROWID;
CREATE INDEX tournament_players_user ON tournament_players (user_id);

CREATE TABLE tournament_rounds (
    tournament_id INTEGER NOT NULL REFERENCES tournaments (id) ON DELETE CASCADE,
    round         INTEGER NOT NULL CHECK (round > 0),
    problem_id    TEXT    NOT NULL DEFAULT '',
    starts_at     INTEGER NOT NULL,
    done_at       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (tournament_id, round)
) WITHOUT ROWID;

CREATE TABLE tournament_games (
    tournament_id INTEGER NOT NULL REFERENCES tournaments (id) ON DELETE CASCADE,
    round         INTEGER NOT NULL,
    board         INTEGER NOT NULL CHECK (board > 0),
    a             INTEGER NOT NULL,
    b             INTEGER NOT NULL DEFAULT 0, -- 0: a bye
    match_id      TEXT    NOT NULL DEFAULT '',
    outcome       TEXT    NOT NULL DEFAULT '' CHECK (outcome IN ('', 'a', 'b', 'draw', 'bye', 'none')),
    PRIMARY KEY (tournament_id, round, board),
    FOREIGN KEY (tournament_id, round) REFERENCES tournament_rounds (tournament_id, round) ON DELETE CASCADE
) WITHOUT ROWID;
