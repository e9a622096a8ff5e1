-- Issue 8: one complexity-coach report per accepted submission. The
-- primary key is the submission id, so a redelivered analysis job cannot
-- store a second report: the first one wins.

CREATE TABLE coach_reports (
    submission_id TEXT    PRIMARY KEY REFERENCES submissions (id) ON DELETE CASCADE,
    status        TEXT    NOT NULL CHECK (status IN ('done', 'failed')),
    report        BLOB    NOT NULL DEFAULT x'',
    error         TEXT    NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL
) WITHOUT ROWID;
