-- Issue 4: versioned problem packages.
--
-- problems holds the stable id; problem_versions one immutable row per
-- imported version (matches record the version they were played on);
-- problem_packages the package zips, once per content hash, so re-importing
-- content seen before (or two problems with equal packages) costs no space.
-- problem_tags is the lower-cased tag index the lobby filters on; the tags
-- as written stay in problem_versions.tags (JSON array).

CREATE TABLE problems (
    id             TEXT    PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64
                                              AND substr(id, 1, 1) GLOB '[a-z0-9]'
                                              AND id NOT GLOB '*[^a-z0-9_-]*'),
    uuid           TEXT    UNIQUE,           -- NULL = none; several NULLs are fine
    latest_version INTEGER NOT NULL DEFAULT 0,
    enabled        INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    created_at     INTEGER NOT NULL
) WITHOUT ROWID;

-- A rowid table: WITHOUT ROWID is a poor fit for rows of megabytes.
CREATE TABLE problem_packages (
    sha256     TEXT    NOT NULL UNIQUE CHECK (length(sha256) = 64),
    zip        BLOB    NOT NULL,
    size       INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE problem_versions (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    problem_id       TEXT    NOT NULL REFERENCES problems (id) ON DELETE CASCADE,
    version          INTEGER NOT NULL CHECK (version > 0),
    sha256           TEXT    NOT NULL REFERENCES problem_packages (sha256),
    uuid             TEXT    NOT NULL DEFAULT '',
    name             TEXT    NOT NULL DEFAULT '',
    difficulty       INTEGER CHECK (difficulty IS NULL OR difficulty > 0),
    tags             TEXT    NOT NULL DEFAULT '[]',
    complexity_time  TEXT    NOT NULL DEFAULT '',
    complexity_space TEXT    NOT NULL DEFAULT '',
    time_limit_ms    INTEGER NOT NULL DEFAULT 0 CHECK (time_limit_ms >= 0),
    memory_mib       INTEGER NOT NULL DEFAULT 0 CHECK (memory_mib >= 0),
    interactive      INTEGER NOT NULL DEFAULT 0 CHECK (interactive IN (0, 1)),
    scoring          INTEGER NOT NULL DEFAULT 0 CHECK (scoring IN (0, 1)),
    imported_at      INTEGER NOT NULL,
    imported_by      INTEGER REFERENCES users (id) ON DELETE SET NULL,
    UNIQUE (problem_id, version)
);
CREATE INDEX problem_versions_sha256 ON problem_versions (sha256);
CREATE INDEX problem_versions_difficulty ON problem_versions (difficulty);

CREATE TABLE problem_tags (
    tag        TEXT    NOT NULL CHECK (tag <> ''),
    version_id INTEGER NOT NULL REFERENCES problem_versions (id) ON DELETE CASCADE,
    PRIMARY KEY (tag, version_id)
) WITHOUT ROWID;
CREATE INDEX problem_tags_version ON problem_tags (version_id);
