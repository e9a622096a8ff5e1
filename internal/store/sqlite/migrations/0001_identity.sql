-- Issue 2: accounts, external identities, sessions, pending OAuth flows and
-- the profiles the database hydrates on its own.
--
-- Timestamps are INTEGER microseconds since the Unix epoch (UTC): they sort
-- and compare numerically in SQL and round-trip exactly with PostgreSQL's
-- microsecond timestamptz. Read them with datetime(col / 1000000, 'unixepoch').

CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT, -- never reuse ids of deleted users
    username      TEXT    NOT NULL CHECK (username <> ''),
    password_hash TEXT    NOT NULL DEFAULT '',
    role          TEXT    NOT NULL DEFAULT 'player' CHECK (role IN ('player', 'admin')),
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    display_name  TEXT    NOT NULL DEFAULT '',
    avatar_url    TEXT    NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL DEFAULT (CAST(unixepoch('subsec') * 1000000 AS INTEGER))
);
CREATE UNIQUE INDEX users_username_lower ON users (lower(username));

CREATE TABLE profiles (
    user_id      INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    display_name TEXT    NOT NULL DEFAULT '',
    avatar_url   TEXT    NOT NULL DEFAULT '',
    rating       REAL    NOT NULL DEFAULT 1500,
    rd           REAL    NOT NULL DEFAULT 350,
    volatility   REAL    NOT NULL DEFAULT 0.06,
    xp           INTEGER NOT NULL DEFAULT 0,
    level        INTEGER NOT NULL DEFAULT 1,
    updated_at   INTEGER NOT NULL DEFAULT (CAST(unixepoch('subsec') * 1000000 AS INTEGER))
);

-- Profile hydration belongs to the database: every way a user row can appear
-- (the Go store, the CLI, an operator's INSERT) gets its profile.
CREATE TRIGGER users_hydrate_profile AFTER INSERT ON users
BEGIN
    INSERT INTO profiles (user_id, display_name, avatar_url, rating, rd, volatility, xp, level)
    VALUES (NEW.id, COALESCE(NULLIF(NEW.display_name, ''), NEW.username), NEW.avatar_url,
            1500, 350, 0.06, 0, 1);
END;

CREATE TABLE identities (
    provider   TEXT    NOT NULL CHECK (provider <> ''),
    subject    TEXT    NOT NULL CHECK (subject <> ''),
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    email      TEXT    NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL DEFAULT (CAST(unixepoch('subsec') * 1000000 AS INTEGER)),
    PRIMARY KEY (provider, subject)
);
CREATE INDEX identities_user ON identities (user_id);

CREATE TABLE sessions (
    token_hash      BLOB    PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at      INTEGER NOT NULL,
    last_seen_at    INTEGER NOT NULL,
    idle_expires_at INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL,
    user_agent      TEXT    NOT NULL DEFAULT '',
    ip              TEXT    NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);
CREATE INDEX sessions_idle_expires ON sessions (idle_expires_at);

CREATE TABLE oauth_states (
    state_hash    BLOB    PRIMARY KEY,
    provider      TEXT    NOT NULL,
    pkce_verifier TEXT    NOT NULL DEFAULT '',
    nonce         TEXT    NOT NULL DEFAULT '',
    link_user_id  INTEGER REFERENCES users (id) ON DELETE CASCADE, -- NULL unless linking
    redirect_to   TEXT    NOT NULL DEFAULT '',
    expires_at    INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX oauth_states_expires ON oauth_states (expires_at);
