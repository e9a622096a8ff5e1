-- Issue 8: one complexity-coach report per accepted submission. The
-- primary key is the submission id, so a redelivered analysis job cannot
-- store a second report: the first one wins.

CREATE TABLE coach_reports (
    submission_id text        PRIMARY KEY REFERENCES submissions (id) ON DELETE CASCADE,
    status        text        NOT NULL CHECK (status IN ('done', 'failed')),
    report        bytea       NOT NULL DEFAULT '\x',
    error         text        NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL
);
