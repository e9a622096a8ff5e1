-- Issue 20: a match's live-editor setting, chosen when it is created
-- (ranked and casual: the server's setting, off by default; a room: its
-- host's choice). When on, the match's spectators receive the players'
-- editor changes live; the players never receive each other's.

ALTER TABLE matches ADD COLUMN live_editors INTEGER NOT NULL DEFAULT 0;
