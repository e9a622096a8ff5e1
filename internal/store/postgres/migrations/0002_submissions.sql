-- Issue 5: judge submissions and their single result.
--
-- A submission is stored as queued before its judge job is published; the
-- result lives in its own table whose primary key is the submission id, so
-- a job delivered twice (at-least-once queue) can never store two results:
-- the second insert conflicts and the first result wins.

CREATE TABLE submissions (
    id              text        PRIMARY KEY CHECK (id <> ''),
    user_id         bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    problem_id      text        NOT NULL CHECK (problem_id <> ''),
    problem_version integer     NOT NULL DEFAULT 0,
    problem_sha256  text        NOT NULL DEFAULT '',
    lang            text        NOT NULL,
    source          bytea       NOT NULL,
    priority        text        NOT NULL CHECK (priority IN ('ranked', 'practice', 'analysis')),
    match_id        text        NOT NULL DEFAULT '',
    status          text        NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done')),
    attempts        integer     NOT NULL DEFAULT 0,
    worker          text        NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE INDEX submissions_user ON submissions (user_id, created_at);
-- The sweeper and the in-flight count only look at unfinished rows.
CREATE INDEX submissions_pending ON submissions (updated_at) WHERE status <> 'done';
CREATE INDEX submissions_user_pending ON submissions (user_id) WHERE status <> 'done';

CREATE TABLE submission_results (
    submission_id    text        PRIMARY KEY REFERENCES submissions (id) ON DELETE CASCADE,
    verdict          text        NOT NULL CHECK (verdict <> ''),
    message          text        NOT NULL DEFAULT '',
    passed           integer     NOT NULL DEFAULT 0,
    total            integer     NOT NULL DEFAULT 0,
    failed_test      integer     NOT NULL DEFAULT 0,
    max_cpu_us       bigint      NOT NULL DEFAULT 0,
    max_memory_bytes bigint      NOT NULL DEFAULT 0,
    compile_us       bigint      NOT NULL DEFAULT 0,
    language_version text        NOT NULL DEFAULT '',
    details          bytea       NOT NULL DEFAULT '',
    worker           text        NOT NULL DEFAULT '',
    finished_at      timestamptz NOT NULL
);
