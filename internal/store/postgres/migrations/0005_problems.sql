-- Issue 4: versioned problem packages.
--
-- problems holds the stable id; problem_versions one immutable row per
-- imported version (matches record the version they were played on);
-- problem_packages the package zips, once per content hash, so re-importing
-- content seen before (or two problems with equal packages) costs no space.
-- problem_tags is the lower-cased tag index the lobby filters on; the tags
-- as written stay in problem_versions.tags.

CREATE TABLE problems (
    id             text        PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9_-]{0,63}$'),
    uuid           text        UNIQUE,           -- NULL = none
    latest_version integer     NOT NULL DEFAULT 0,
    enabled        boolean     NOT NULL DEFAULT true,
    created_at     timestamptz NOT NULL
);

CREATE TABLE problem_packages (
    sha256     text        PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    zip        bytea       NOT NULL,
    size       bigint      NOT NULL,
    created_at timestamptz NOT NULL
);
-- Zips are already compressed; do not let TOAST try again.
ALTER TABLE problem_packages ALTER COLUMN zip SET STORAGE EXTERNAL;

CREATE TABLE problem_versions (
    id               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    problem_id       text        NOT NULL REFERENCES problems (id) ON DELETE CASCADE,
    version          integer     NOT NULL CHECK (version > 0),
    sha256           text        NOT NULL REFERENCES problem_packages (sha256),
    uuid             text        NOT NULL DEFAULT '',
    name             text        NOT NULL DEFAULT '',
    difficulty       integer     CHECK (difficulty IS NULL OR difficulty > 0),
    tags             jsonb       NOT NULL DEFAULT '[]',
    complexity_time  text        NOT NULL DEFAULT '',
    complexity_space text        NOT NULL DEFAULT '',
    time_limit_ms    bigint      NOT NULL DEFAULT 0 CHECK (time_limit_ms >= 0),
    memory_mib       bigint      NOT NULL DEFAULT 0 CHECK (memory_mib >= 0),
    interactive      boolean     NOT NULL DEFAULT false,
    scoring          boolean     NOT NULL DEFAULT false,
    imported_at      timestamptz NOT NULL,
    imported_by      bigint      REFERENCES users (id) ON DELETE SET NULL,
    UNIQUE (problem_id, version)
);
CREATE INDEX problem_versions_sha256 ON problem_versions (sha256);
CREATE INDEX problem_versions_difficulty ON problem_versions (difficulty);

CREATE TABLE problem_tags (
    tag        text   NOT NULL CHECK (tag <> ''),
    version_id bigint NOT NULL REFERENCES problem_versions (id) ON DELETE CASCADE,
    PRIMARY KEY (tag, version_id)
);
CREATE INDEX problem_tags_version ON problem_tags (version_id);
