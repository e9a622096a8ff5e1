package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/segfaultarena/segfault/internal/store"
)

// CreateSession stores s. A zero CreatedAt means now; a zero LastSeenAt
// means CreatedAt.
func (s *Store) CreateSession(ctx context.Context, sess store.Session) error {
	if len(sess.TokenHash) == 0 {
		return fmt.Errorf("sqlite: create session: empty token hash")
	}
	if sess.CreatedAt.IsZero() {
		sess.CreatedAt = time.Now()
	}
	if sess.LastSeenAt.IsZero() {
		sess.LastSeenAt = sess.CreatedAt
	}
	_, err := s.w.ExecContext(ctx,
		`INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, idle_expires_at, expires_at, user_agent, ip)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		sess.TokenHash, sess.UserID, micros(sess.CreatedAt), micros(sess.LastSeenAt),
		micros(sess.IdleExpiresAt), micros(sess.ExpiresAt), sess.UserAgent, sess.IP)
	if err != nil {
		return fmt.Errorf("sqlite: create session for user %d: %w", sess.UserID, classify(err))
	}
	return nil
}

// SessionByTokenHash returns the row even when it has expired: deciding
// about expiry is the caller's job (it knows the clock and the policy).
func (s *Store) SessionByTokenHash(ctx context.Context, hash []byte) (store.Session, error) {
	var sess store.Session
	var created, seen, idle, expires int64
	err := s.r.QueryRowContext(ctx,
		`SELECT token_hash, user_id, created_at, last_seen_at, idle_expires_at, expires_at, user_agent, ip
		 FROM sessions WHERE token_hash = ?`, hash).
		Scan(&sess.TokenHash, &sess.UserID, &created, &seen, &idle, &expires, &sess.UserAgent, &sess.IP)
	if err != nil {
		return store.Session{}, fmt.Errorf("sqlite: session: %w", classify(err))
	}
	sess.CreatedAt, sess.LastSeenAt = fromMicros(created), fromMicros(seen)
	sess.IdleExpiresAt, sess.ExpiresAt = fromMicros(idle), fromMicros(expires)
	return sess, nil
}

// TouchSession returns ErrNotFound when the session is gone (signed out or
// swept), so a request racing a sign-out cannot revive it.
func (s *Store) TouchSession(ctx context.Context, hash []byte, lastSeen, idleExpires time.Time) error {
	res, err := s.w.ExecContext(ctx,
		"UPDATE sessions SET last_seen_at = ?, idle_expires_at = ? WHERE token_hash = ?",
		micros(lastSeen), micros(idleExpires), hash)
	return affectedOne(res, err, "touch session")
}

// DeleteSession is idempotent: deleting a missing session is not an error.
func (s *Store) DeleteSession(ctx context.Context, hash []byte) error {
	if _, err := s.w.ExecContext(ctx, "DELETE FROM sessions WHERE token_hash = ?", hash); err != nil {
		return fmt.Errorf("sqlite: delete session: %w", err)
	}
	return nil
}

func (s *Store) DeleteUserSessions(ctx context.Context, userID int64) error {
	if _, err := s.w.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = ?", userID); err != nil {
		return fmt.Errorf("sqlite: delete sessions of user %d: %w", userID, err)
	}
	return nil
}

// DeleteExpiredSessions removes sessions past their absolute or idle expiry.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	res, err := s.w.ExecContext(ctx,
		"DELETE FROM sessions WHERE expires_at <= ? OR idle_expires_at <= ?", micros(now), micros(now))
	if err != nil {
		return 0, fmt.Errorf("sqlite: delete expired sessions: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("sqlite: delete expired sessions: %w", err)
	}
	return n, nil
}

func (s *Store) SaveOAuthState(ctx context.Context, st store.OAuthState) error {
	if len(st.StateHash) == 0 {
		return fmt.Errorf("sqlite: save oauth state: empty state hash")
	}
	var link any // NULL unless a signed-in user is linking
	if st.LinkUserID != 0 {
		link = st.LinkUserID
	}
	_, err := s.w.ExecContext(ctx,
		`INSERT INTO oauth_states (state_hash, provider, pkce_verifier, nonce, link_user_id, redirect_to, expires_at)
		 VALUES (?, ?, ?, ?, ?, ?, ?)`,
		st.StateHash, st.Provider, st.PKCEVerifier, st.Nonce, link, st.RedirectTo, micros(st.ExpiresAt))
	if err != nil {
		return fmt.Errorf("sqlite: save %s oauth state: %w", st.Provider, classify(err))
	}
	return nil
}

// TakeOAuthState deletes and returns the state in one statement, so two
// callbacks carrying the same state cannot both succeed. Expired states are
// swept on the way, since abandoned sign-ins never come back for theirs.
func (s *Store) TakeOAuthState(ctx context.Context, stateHash []byte, now time.Time) (store.OAuthState, error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return store.OAuthState{}, fmt.Errorf("sqlite: take oauth state: begin: %w", err)
	}
	defer tx.Rollback()
	var st store.OAuthState
	var link sql.NullInt64
	var expires int64
	err = tx.QueryRowContext(ctx,
		`DELETE FROM oauth_states WHERE state_hash = ?
		 RETURNING state_hash, provider, pkce_verifier, nonce, link_user_id, redirect_to, expires_at`, stateHash).
		Scan(&st.StateHash, &st.Provider, &st.PKCEVerifier, &st.Nonce, &link, &st.RedirectTo, &expires)
	if err != nil {
		return store.OAuthState{}, fmt.Errorf("sqlite: take oauth state: %w", classify(err))
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM oauth_states WHERE expires_at <= ?", micros(now)); err != nil {
		return store.OAuthState{}, fmt.Errorf("sqlite: sweep oauth states: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return store.OAuthState{}, fmt.Errorf("sqlite: take oauth state: commit: %w", err)
	}
	st.LinkUserID = link.Int64
	st.ExpiresAt = fromMicros(expires)
	if !st.ExpiresAt.After(now) {
		return store.OAuthState{}, fmt.Errorf("sqlite: take oauth state: expired: %w", store.ErrNotFound)
	}
	return st, nil
}

func affectedOne(res sql.Result, err error, what string) error {
	if err != nil {
		return fmt.Errorf("sqlite: %s: %w", what, classify(err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("sqlite: %s: %w", what, err)
	}
	if n == 0 {
		return fmt.Errorf("sqlite: %s: %w", what, store.ErrNotFound)
	}
	return nil
}
