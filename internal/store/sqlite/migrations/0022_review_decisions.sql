-- Issue 20: an administrator's recorded, reversible decisions on the
-- fair-play review (clear, void a match, ban a player) and what a void
-- needs to revert a finished match exactly.

-- The profile as FinishMatch read it (the values the match replaced) and
-- the volatility it wrote: 0 for matches finished before this migration
-- (their volatility is then left alone by a void).
ALTER TABLE match_players ADD COLUMN profile_rating REAL NOT NULL DEFAULT 0;
ALTER TABLE match_players ADD COLUMN profile_rd     REAL NOT NULL DEFAULT 0;
ALTER TABLE match_players ADD COLUMN profile_vol    REAL NOT NULL DEFAULT 0;
ALTER TABLE match_players ADD COLUMN vol_after      REAL NOT NULL DEFAULT 0;

-- A voided match keeps its rows but counts for nothing: no result in the
-- record or the streak, no XP, no rating history point.
ALTER TABLE matches ADD COLUMN voided INTEGER NOT NULL DEFAULT 0;

CREATE TABLE review_decisions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    match_id    TEXT    NOT NULL REFERENCES matches (id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL DEFAULT 0, -- the player concerned; 0: the whole match (void)
    action      TEXT    NOT NULL CHECK (action IN ('clear', 'void', 'ban')),
    reason      TEXT    NOT NULL CHECK (reason <> ''),
    admin_id    INTEGER NOT NULL REFERENCES users (id),
    at          INTEGER NOT NULL,
    reverses    INTEGER NOT NULL DEFAULT 0, -- the decision this one undoes
    reversed_by INTEGER NOT NULL DEFAULT 0, -- the decision that undid this one
    changes     BLOB    NOT NULL DEFAULT x'5b5d' -- JSON: the profiles before and after (void)
);
CREATE INDEX review_decisions_match ON review_decisions (match_id, id);
