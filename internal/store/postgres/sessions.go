package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/segfaultarena/segfault/internal/store"
)

// CreateSession stores s. A zero CreatedAt means now; a zero LastSeenAt
// means CreatedAt.
func (s *Store) CreateSession(ctx context.Context, sess store.Session) error {
	if len(sess.TokenHash) == 0 {
		return fmt.Errorf("postgres: create session: empty token hash")
	}
	if sess.CreatedAt.IsZero() {
		sess.CreatedAt = time.Now()
	}
	if sess.LastSeenAt.IsZero() {
		sess.LastSeenAt = sess.CreatedAt
	}
	_, err := s.pool.Exec(ctx,
		`INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, idle_expires_at, expires_at, user_agent, ip)
		 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		sess.TokenHash, sess.UserID, sess.CreatedAt, sess.LastSeenAt,
		sess.IdleExpiresAt, sess.ExpiresAt, sess.UserAgent, sess.IP)
	if err != nil {
		return fmt.Errorf("postgres: create session for user %d: %w", sess.UserID, classify(err))
	}
	return nil
}

// SessionByTokenHash returns the row even when it has expired: deciding
// about expiry is the caller's job (it knows the clock and the policy).
func (s *Store) SessionByTokenHash(ctx context.Context, hash []byte) (store.Session, error) {
	var sess store.Session
	err := s.pool.QueryRow(ctx,
		`SELECT token_hash, user_id, created_at, last_seen_at, idle_expires_at, expires_at, user_agent, ip
		 FROM sessions WHERE token_hash = $1`, hash).
		Scan(&sess.TokenHash, &sess.UserID, &sess.CreatedAt, &sess.LastSeenAt,
			&sess.IdleExpiresAt, &sess.ExpiresAt, &sess.UserAgent, &sess.IP)
	if err != nil {
		return store.Session{}, fmt.Errorf("postgres: session: %w", classify(err))
	}
	sess.CreatedAt, sess.LastSeenAt = utc(sess.CreatedAt), utc(sess.LastSeenAt)
	sess.IdleExpiresAt, sess.ExpiresAt = utc(sess.IdleExpiresAt), utc(sess.ExpiresAt)
	return sess, nil
}

// TouchSession returns ErrNotFound when the session is gone (signed out or
// swept), so a request racing a sign-out cannot revive it.
func (s *Store) TouchSession(ctx context.Context, hash []byte, lastSeen, idleExpires time.Time) error {
	tag, err := s.pool.Exec(ctx,
		"UPDATE sessions SET last_seen_at = $1, idle_expires_at = $2 WHERE token_hash = $3",
		lastSeen, idleExpires, hash)
	if err != nil {
		return fmt.Errorf("postgres: touch session: %w", classify(err))
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("postgres: touch session: %w", store.ErrNotFound)
	}
	return nil
}

// DeleteSession is idempotent: deleting a missing session is not an error.
func (s *Store) DeleteSession(ctx context.Context, hash []byte) error {
	if _, err := s.pool.Exec(ctx, "DELETE FROM sessions WHERE token_hash = $1", hash); err != nil {
		return fmt.Errorf("postgres: delete session: %w", err)
	}
	return nil
}

func (s *Store) DeleteUserSessions(ctx context.Context, userID int64) error {
	if _, err := s.pool.Exec(ctx, "DELETE FROM sessions WHERE user_id = $1", userID); err != nil {
		return fmt.Errorf("postgres: delete sessions of user %d: %w", userID, err)
	}
	return nil
}

// DeleteExpiredSessions removes sessions past their absolute or idle expiry.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	tag, err := s.pool.Exec(ctx, "DELETE FROM sessions WHERE expires_at <= $1 OR idle_expires_at <= $1", now)
	if err != nil {
		return 0, fmt.Errorf("postgres: delete expired sessions: %w", err)
	}
	return tag.RowsAffected(), nil
}

func (s *Store) SaveOAuthState(ctx context.Context, st store.OAuthState) error {
	if len(st.StateHash) == 0 {
		return fmt.Errorf("postgres: save oauth state: empty state hash")
	}
	var link *int64 // NULL unless a signed-in user is linking
	if st.LinkUserID != 0 {
		link = &st.LinkUserID
	}
	_, err := s.pool.Exec(ctx,
		`INSERT INTO oauth_states (state_hash, provider, pkce_verifier, nonce, link_user_id, redirect_to, expires_at)
		 VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		st.StateHash, st.Provider, st.PKCEVerifier, st.Nonce, link, st.RedirectTo, st.ExpiresAt)
	if err != nil {
		return fmt.Errorf("postgres: save %s oauth state: %w", st.Provider, classify(err))
	}
	return nil
}

// TakeOAuthState deletes and returns the state in one statement, so two
// callbacks carrying the same state cannot both succeed. Expired states are
// swept on the way, since abandoned sign-ins never come back for theirs.
func (s *Store) TakeOAuthState(ctx context.Context, stateHash []byte, now time.Time) (store.OAuthState, error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return store.OAuthState{}, fmt.Errorf("postgres: take oauth state: begin: %w", err)
	}
	defer tx.Rollback(context.Background())
	var st store.OAuthState
	var link *int64
	err = tx.QueryRow(ctx,
		`DELETE FROM oauth_states WHERE state_hash = $1
		 RETURNING state_hash, provider, pkce_verifier, nonce, link_user_id, redirect_to, expires_at`, stateHash).
		Scan(&st.StateHash, &st.Provider, &st.PKCEVerifier, &st.Nonce, &link, &st.RedirectTo, &st.ExpiresAt)
	if err != nil {
		return store.OAuthState{}, fmt.Errorf("postgres: take oauth state: %w", classify(err))
	}
	if _, err := tx.Exec(ctx, "DELETE FROM oauth_states WHERE expires_at <= $1", now); err != nil {
		return store.OAuthState{}, fmt.Errorf("postgres: sweep oauth states: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return store.OAuthState{}, fmt.Errorf("postgres: take oauth state: commit: %w", err)
	}
	if link != nil {
		st.LinkUserID = *link
	}
	st.ExpiresAt = utc(st.ExpiresAt)
	if !st.ExpiresAt.After(now) {
		return store.OAuthState{}, fmt.Errorf("postgres: take oauth state: expired: %w", store.ErrNotFound)
	}
	return st, nil
}
