-- Issue 6: matches, per-player results, rating history, XP events.
-- The deadline is persisted with the state machine's snapshot so any API
-- node can restore a running match and finish it on time. NULL timestamps
-- mean "not yet".

CREATE TABLE matches (
    id                 text        PRIMARY KEY CHECK (id <> ''),
    mode               text        NOT NULL CHECK (mode IN ('ranked', 'casual', 'ffa', 'private', 'practice')),
    problem_id         text        NOT NULL DEFAULT '',
    problem_version    integer     NOT NULL DEFAULT 0,
    problem_title      text        NOT NULL DEFAULT '',
    problem_difficulty integer     NOT NULL DEFAULT 0,
    state              text        NOT NULL,
    created_at         timestamptz NOT NULL,
    starts_at          timestamptz,
    deadline           timestamptz,
    finished_at        timestamptz,
    reason             text        NOT NULL DEFAULT '',
    winner_id          bigint      NOT NULL DEFAULT 0,
    snapshot           bytea       NOT NULL DEFAULT '\x7b7d'
);
CREATE INDEX matches_active ON matches (created_at) WHERE state NOT IN ('finished', 'cancelled');
CREATE INDEX matches_finished ON matches (finished_at) WHERE state = 'finished';

CREATE TABLE match_players (
    match_id           text             NOT NULL REFERENCES matches (id) ON DELETE CASCADE,
    user_id            bigint           NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    seat               integer          NOT NULL,
    rating_before      double precision NOT NULL,
    rd_before          double precision NOT NULL,
    rating_after       double precision NOT NULL,
    rd_after           double precision NOT NULL,
    xp_gained          bigint           NOT NULL DEFAULT 0,
    result             text             NOT NULL DEFAULT '' CHECK (result IN ('', 'win', 'loss', 'draw')),
    place              integer          NOT NULL DEFAULT 0,
    best_submission_id text             NOT NULL DEFAULT '',
    finished_at        timestamptz,
    PRIMARY KEY (match_id, user_id)
);
CREATE INDEX match_players_user ON match_players (user_id, finished_at);

CREATE TABLE rating_history (
    user_id  bigint           NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    match_id text             NOT NULL REFERENCES matches (id) ON DELETE CASCADE,
    at       timestamptz      NOT NULL,
    rating   double precision NOT NULL,
    rd       double precision NOT NULL,
    delta    double precision NOT NULL,
    PRIMARY KEY (user_id, match_id)
);
CREATE INDEX rating_history_user_at ON rating_history (user_id, at);

-- One XP event per (match, user): a finish replayed after a node failover
-- cannot grant XP twice.
CREATE TABLE xp_events (
    user_id   bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    match_id  text        NOT NULL REFERENCES matches (id) ON DELETE CASCADE,
    at        timestamptz NOT NULL,
    amount    bigint      NOT NULL CHECK (amount >= 0),
    breakdown bytea       NOT NULL DEFAULT '\x7b7d',
    PRIMARY KEY (user_id, match_id)
);
CREATE INDEX xp_events_at ON xp_events (at, user_id);
CREATE INDEX profiles_rating ON profiles (rating DESC, user_id);
