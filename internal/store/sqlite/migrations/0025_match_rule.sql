-- Issue 21: a match's scoring rule (fastest, shortest, reverse, bigo),
-- chosen with its room or free-for-all queue. Matches stored before are
-- fastest, the only rule there was.

ALTER TABLE matches ADD COLUMN rule TEXT NOT NULL DEFAULT 'fastest';
