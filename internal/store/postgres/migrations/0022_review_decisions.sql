-- Issue 20: an administrator's recorded, reversible decisions on the
-- fair-play review (clear, void a match, ban a player) and what a void
-- needs to revert a finished match exactly.

-- The profile as FinishMatch read it (the values the match replaced) and
-- the volatility it wrote: 0 for matches finished before this migration
-- (their volatility is then left alone by a void).
ALTER TABLE match_players ADD COLUMN profile_rating double precision NOT NULL DEFAULT 0;
ALTER TABLE match_players ADD COLUMN profile_rd     double precision NOT NULL DEFAULT 0;
ALTER TABLE match_players ADD COLUMN profile_vol    double precision NOT NULL DEFAULT 0;
ALTER TABLE match_players ADD COLUMN vol_after      double precision NOT NULL DEFAULT 0;

-- A voided match keeps its rows but counts for nothing: no result in the
-- record or the streak, no XP, no rating history point.
ALTER TABLE matches ADD COLUMN voided boolean NOT NULL DEFAULT false;

CREATE TABLE review_decisions (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    match_id    text        NOT NULL REFERENCES matches (id) ON DELETE CASCADE,
    user_id     bigint      NOT NULL DEFAULT 0, -- the player concerned; 0: the whole match (void)
    action      text        NOT NULL CHECK (action IN ('clear', 'void', 'ban')),
    reason      text        NOT NULL CHECK (reason <> ''),
    admin_id    bigint      NOT NULL REFERENCES users (id),
    at          timestamptz NOT NULL,
    reverses    bigint      NOT NULL DEFAULT 0, -- the decision this one undoes
    reversed_by bigint      NOT NULL DEFAULT 0, -- the decision that undid this one
    changes     bytea       NOT NULL DEFAULT '\x5b5d' -- JSON: the profiles before and after (void)
);
CREATE INDEX review_decisions_match ON review_decisions (match_id, id);
