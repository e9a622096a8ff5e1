-- Issue 2: accounts, external identities, sessions, pending OAuth flows and
-- the profiles the database hydrates on its own.

CREATE TABLE users (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username      text        NOT NULL CHECK (username <> ''),
    password_hash text        NOT NULL DEFAULT '',
    role          text        NOT NULL DEFAULT 'player' CHECK (role IN ('player', 'admin')),
    disabled      boolean     NOT NULL DEFAULT false,
    display_name  text        NOT NULL DEFAULT '',
    avatar_url    text        NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_username_lower ON users (lower(username));

CREATE TABLE profiles (
    user_id      bigint           PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    display_name text             NOT NULL DEFAULT '',
    avatar_url   text             NOT NULL DEFAULT '',
    rating       double precision NOT NULL DEFAULT 1500,
    rd           double precision NOT NULL DEFAULT 350,
    volatility   double precision NOT NULL DEFAULT 0.06,
    xp           bigint           NOT NULL DEFAULT 0,
    level        integer          NOT NULL DEFAULT 1,
    updated_at   timestamptz      NOT NULL DEFAULT now()
);

-- Profile hydration belongs to the database: every way a user row can appear
-- (the Go store, the CLI, an operator's INSERT) gets its profile.
-- search_path is pinned at creation so the trigger resolves "profiles" in the
-- schema it was created in, whatever the inserting session's search_path is.
CREATE FUNCTION users_hydrate_profile() RETURNS trigger
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
BEGIN
    INSERT INTO profiles (user_id, display_name, avatar_url, rating, rd, volatility, xp, level)
    VALUES (NEW.id, COALESCE(NULLIF(NEW.display_name, ''), NEW.username), NEW.avatar_url,
            1500, 350, 0.06, 0, 1);
    RETURN NULL; -- AFTER trigger: the return value is ignored
END;
$$;

CREATE TRIGGER users_hydrate_profile AFTER INSERT ON users
    FOR EACH ROW EXECUTE FUNCTION users_hydrate_profile();

CREATE TABLE identities (
    provider   text        NOT NULL CHECK (provider <> ''),
    subject    text        NOT NULL CHECK (subject <> ''),
    user_id    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    email      text        NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (provider, subject)
);
CREATE INDEX identities_user ON identities (user_id);

CREATE TABLE sessions (
    token_hash      bytea       PRIMARY KEY,
    user_id         bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at      timestamptz NOT NULL,
    last_seen_at    timestamptz NOT NULL,
    idle_expires_at timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    user_agent      text        NOT NULL DEFAULT '',
    ip              text        NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);
CREATE INDEX sessions_idle_expires ON sessions (idle_expires_at);

CREATE TABLE oauth_states (
    state_hash    bytea       PRIMARY KEY,
    provider      text        NOT NULL,
    pkce_verifier text        NOT NULL DEFAULT '',
    nonce         text        NOT NULL DEFAULT '',
    link_user_id  bigint      REFERENCES users (id) ON DELETE CASCADE, -- NULL unless linking
    redirect_to   text        NOT NULL DEFAULT '',
    expires_at    timestamptz NOT NULL
);
CREATE INDEX oauth_states_expires ON oauth_states (expires_at);
