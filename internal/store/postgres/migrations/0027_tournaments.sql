-- Issue 21: tournaments (Swiss and single elimination), registrations
-- with check-in, rounds and their games. Durations are bigint
-- microseconds; a zero time means "not yet".

CREATE TABLE tournaments (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name         text        NOT NULL CHECK (name <> ''),
    format       text        NOT NULL CHECK (format IN ('swiss', 'elimination')),
    swiss_rounds integer     NOT NULL DEFAULT 0,
    state        text        NOT NULL CHECK (state IN ('scheduled', 'running', 'finished', 'cancelled')),
    starts_at    timestamptz NOT NULL,
    check_in     bigint      NOT NULL DEFAULT 0,
    round_break  bigint      NOT NULL DEFAULT 0,
    match_length bigint      NOT NULL DEFAULT 0,
    problems     text        NOT NULL DEFAULT '', -- comma-separated problem ids
    max_players  integer     NOT NULL DEFAULT 0,
    created_by   bigint      NOT NULL REFERENCES users (id),
    created_at   timestamptz NOT NULL,
    round        integer     NOT NULL DEFAULT 0,
    finished_at  timestamptz
);
CREATE INDEX tournaments_starts ON tournaments (starts_at);

CREATE TABLE tournament_players (
    tournament_id bigint           NOT NULL REFERENCES tournaments (id) ON DELETE CASCADE,
    user_id       bigint           NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    registered_at timestamptz      NOT NULL,
    checked_in_at timestamptz,
    seed          integer          NOT NULL DEFAULT 0,
    rating        double precision NOT NULL DEFAULT 0,
    place         integer          NOT NULL DEFAULT 0,
    PRIMARY KEY (tournament_id, user_id)
);
CREATE INDEX tournament_players_user ON tournament_players (user_id);

CREATE TABLE tournament_rounds (
    tournament_id bigint      NOT NULL REFERENCES tournaments (id) ON DELETE CASCADE,
    round         integer     NOT NULL CHECK (round > 0),
    problem_id    text        NOT NULL DEFAULT '',
    starts_at     timestamptz NOT NULL,
    done_at       timestamptz,
    PRIMARY KEY (tournament_id, round)
);

CREATE TABLE tournament_games (
    tournament_id bigint  NOT NULL,
    round         integer NOT NULL,
    board         integer NOT NULL CHECK (board > 0),
    a             bigint  NOT NULL,
    b             bigint  NOT NULL DEFAULT 0, -- 0: a bye
    match_id      text    NOT NULL DEFAULT '',
    outcome       text    NOT NULL DEFAULT '' CHECK (outcome IN ('', 'a', 'b', 'draw', 'bye', 'none')),
    PRIMARY KEY (tournament_id, round, board),
    FOREIGN KEY (tournament_id, round) REFERENCES tournament_rounds (tournament_id, round) ON DELETE CASCADE
);
