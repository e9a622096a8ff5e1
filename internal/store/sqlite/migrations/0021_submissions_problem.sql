-- Issue 20: the fair-play review compares a submission with the others of
-- the same problem (newest first).

CREATE INDEX submissions_problem ON submissions (problem_id, created_at);
