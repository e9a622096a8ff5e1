-- Issue 5: judge submissions and their single result.
--
-- A submission is stored as queued before its judge job is published; the
-- result lives in its own table whose primary key is the submission id, so
-- a job delivered twice (at-least-once queue) can never store two results:
-- the second insert conflicts and the first result wins.

CREATE TABLE submissions (
    id              TEXT    PRIMARY KEY CHECK (id <> ''),
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    problem_id      TEXT    NOT NULL CHECK (problem_id <> ''),
    problem_version INTEGER NOT NULL DEFAULT 0,
    problem_sha256  TEXT    NOT NULL DEFAULT '',
    lang            TEXT    NOT NULL,
    source          BLOB    NOT NULL,
    priority        TEXT    NOT NULL CHECK (priority IN ('ranked', 'practice', 'analysis')),
    match_id        TEXT    NOT NULL DEFAULT '',
    status          TEXT    NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    worker          TEXT    NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX submissions_user ON submissions (user_id, created_at);
-- The sweeper and the in-flight count only look at unfinished rows.
CREATE INDEX submissions_pending ON submissions (updated_at) WHERE status <> 'done';
CREATE INDEX submissions_user_pending ON submissions (user_id) WHERE status <> 'done';

CREATE TABLE submission_results (
    submission_id    TEXT    PRIMARY KEY REFERENCES submissions (id) ON DELETE CASCADE,
    verdict          TEXT    NOT NULL CHECK (verdict <> ''),
    message          TEXT    NOT NULL DEFAULT '',
    passed           INTEGER NOT NULL DEFAULT 0,
    total            INTEGER NOT NULL DEFAULT 0,
    failed_test      INTEGER NOT NULL DEFAULT 0,
    max_cpu_us       INTEGER NOT NULL DEFAULT 0,
    max_memory_bytes INTEGER NOT NULL DEFAULT 0,
    compile_us       INTEGER NOT NULL DEFAULT 0,
    language_version TEXT    NOT NULL DEFAULT '',
    details          BLOB    NOT NULL DEFAULT x'',
    worker           TEXT    NOT NULL DEFAULT '',
    finished_at      INTEGER NOT NULL
) WITHOUT ROWID;
