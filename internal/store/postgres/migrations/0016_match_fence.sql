-- Issue 15: each match is owned by one API node, which writes it with its
-- fencing token; the store refuses a write carrying a lower token than
-- one it has seen (store.ErrFenced), so a node that lost a match cannot
-- overwrite what its new owner wrote.

ALTER TABLE matches ADD COLUMN fence bigint NOT NULL DEFAULT 0;
