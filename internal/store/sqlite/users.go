package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/segfaultarena/segfault/internal/store"
)

const userColumns = "id, username, password_hash, role, disabled, display_name, avatar_url, created_at"

type rowScanner interface{ Scan(dest ...any) error }

func scanUser(row rowScanner) (store.User, error) {
	var u store.User
	var role string
	var created int64
	if err := row.Scan(&u.ID, &u.Username, &u.PasswordHash, &role, &u.Disabled,
		&u.DisplayName, &u.AvatarURL, &created); err != nil {
		return store.User{}, err
	}
	u.Role = store.Role(role)
	u.CreatedAt = fromMicros(created)
	return u, nil
}

func roleOrDefault(r store.Role) store.Role {
	if r == "" {
		return store.RolePlayer
	}
	return r
}

// The schema's CHECK constraint refuses unknown roles too; checking first
// gives a clear message instead of a constraint name.
func checkRole(r store.Role) error {
	if !r.Valid() {
		return fmt.Errorf("invalid role %q (want %q or %q)", r, store.RolePlayer, store.RoleAdmin)
	}
	return nil
}

// execer is what both *sql.DB and *sql.Tx offer.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func insertUser(ctx context.Context, q execer, u store.NewUser) (store.User, error) {
	if err := checkRole(roleOrDefault(u.Role)); err != nil {
		return store.User{}, err
	}
	row := q.QueryRowContext(ctx,
		`INSERT INTO users (username, password_hash, role, display_name, avatar_url)
		 VALUES (?, ?, ?, ?, ?) RETURNING `+userColumns,
		u.Username, u.PasswordHash, string(roleOrDefault(u.Role)), u.DisplayName, u.AvatarURL)
	return scanUser(row)
}

func (s *Store) CreateUser(ctx context.Context, u store.NewUser) (store.User, error) {
	created, err := insertUser(ctx, s.w, u)
	if err != nil {
		return store.User{}, fmt.Errorf("sqlite: create user %q: %w", u.Username, classify(err))
	}
	return created, nil
}

func (s *Store) CreateUserWithIdentity(ctx context.Context, u store.NewUser, id store.Identity) (store.User, error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return store.User{}, fmt.Errorf("sqlite: create user %q: begin: %w", u.Username, err)
	}
	defer tx.Rollback()
	created, err := insertUser(ctx, tx, u)
	if err != nil {
		return store.User{}, fmt.Errorf("sqlite: create user %q: %w", u.Username, classify(err))
	}
	if _, err := tx.ExecContext(ctx,
		"INSERT INTO identities (provider, subject, user_id, email) VALUES (?, ?, ?, ?)",
		id.Provider, id.Subject, created.ID, id.Email); err != nil {
		return store.User{}, fmt.Errorf("sqlite: create user %q: link %s identity: %w", u.Username, id.Provider, classify(err))
	}
	if err := tx.Commit(); err != nil {
		return store.User{}, fmt.Errorf("sqlite: create user %q: commit: %w", u.Username, classify(err))
	}
	return created, nil
}

func (s *Store) UserByID(ctx context.Context, id int64) (store.User, error) {
	u, err := scanUser(s.r.QueryRowContext(ctx, "SELECT "+userColumns+" FROM users WHERE id = ?", id))
	if err != nil {
		return store.User{}, fmt.Errorf("sqlite: user %d: %w", id, classify(err))
	}
	return u, nil
}

func (s *Store) UserByUsername(ctx context.Context, username string) (store.User, error) {
	// lower() on both sides matches the users_username_lower index.
	u, err := scanUser(s.r.QueryRowContext(ctx,
		"SELECT "+userColumns+" FROM users WHERE lower(username) = lower(?)", username))
	if err != nil {
		return store.User{}, fmt.Errorf("sqlite: user %q: %w", username, classify(err))
	}
	return u, nil
}

func (s *Store) UserByIdentity(ctx context.Context, provider, subject string) (store.User, error) {
	u, err := scanUser(s.r.QueryRowContext(ctx,
		`SELECT u.id, u.username, u.password_hash, u.role, u.disabled, u.display_name, u.avatar_url, u.created_at
		 FROM identities i JOIN users u ON u.id = i.user_id
		 WHERE i.provider = ? AND i.subject = ?`, provider, subject))
	if err != nil {
		return store.User{}, fmt.Errorf("sqlite: user by %s identity: %w", provider, classify(err))
	}
	return u, nil
}

// updateUser runs an UPDATE of one user row and reports ErrNotFound when no
// row has that id.
func (s *Store) updateUser(ctx context.Context, what string, id int64, query string, args ...any) error {
	res, err := s.w.ExecContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("sqlite: set %s of user %d: %w", what, id, classify(err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("sqlite: set %s of user %d: %w", what, id, err)
	}
	if n == 0 {
		return fmt.Errorf("sqlite: set %s of user %d: %w", what, id, store.ErrNotFound)
	}
	return nil
}

func (s *Store) SetUserRole(ctx context.Context, id int64, role store.Role) error {
	if err := checkRole(role); err != nil {
		return fmt.Errorf("sqlite: set role of user %d: %w", id, err)
	}
	return s.updateUser(ctx, "role", id, "UPDATE users SET role = ? WHERE id = ?", string(role), id)
}

func (s *Store) SetUserDisabled(ctx context.Context, id int64, disabled bool) error {
	return s.updateUser(ctx, "disabled", id, "UPDATE users SET disabled = ? WHERE id = ?", disabled, id)
}

func (s *Store) SetPasswordHash(ctx context.Context, id int64, hash string) error {
	return s.updateUser(ctx, "password", id, "UPDATE users SET password_hash = ? WHERE id = ?", hash, id)
}

func (s *Store) Profile(ctx context.Context, userID int64) (store.Profile, error) {
	var p store.Profile
	err := s.r.QueryRowContext(ctx,
		`SELECT user_id, display_name, avatar_url, rating, rd, volatility, xp, level
		 FROM profiles WHERE user_id = ?`, userID).
		Scan(&p.UserID, &p.DisplayName, &p.AvatarURL, &p.Rating, &p.RD, &p.Volatility, &p.XP, &p.Level)
	if err != nil {
		return store.Profile{}, fmt.Errorf("sqlite: profile of user %d: %w", userID, classify(err))
	}
	return p, nil
}

// LinkIdentity is idempotent for the user who already owns the identity.
func (s *Store) LinkIdentity(ctx context.Context, id store.Identity) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: link %s identity: begin: %w", id.Provider, err)
	}
	defer tx.Rollback()
	var owner int64
	err = tx.QueryRowContext(ctx,
		"SELECT user_id FROM identities WHERE provider = ? AND subject = ?", id.Provider, id.Subject).Scan(&owner)
	switch {
	case err == nil && owner == id.UserID:
		return nil
	case err == nil:
		return fmt.Errorf("sqlite: link %s identity to user %d: linked to another user: %w", id.Provider, id.UserID, store.ErrConflict)
	case !errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("sqlite: link %s identity: %w", id.Provider, err)
	}
	if _, err := tx.ExecContext(ctx,
		"INSERT INTO identities (provider, subject, user_id, email) VALUES (?, ?, ?, ?)",
		id.Provider, id.Subject, id.UserID, id.Email); err != nil {
		return fmt.Errorf("sqlite: link %s identity to user %d: %w", id.Provider, id.UserID, classify(err))
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: link %s identity: commit: %w", id.Provider, err)
	}
	return nil
}

func (s *Store) Identities(ctx context.Context, userID int64) ([]store.Identity, error) {
	rows, err := s.r.QueryContext(ctx,
		`SELECT provider, subject, user_id, email, created_at FROM identities
		 WHERE user_id = ? ORDER BY provider, subject`, userID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: identities of user %d: %w", userID, err)
	}
	defer rows.Close()
	var out []store.Identity
	for rows.Next() {
		var id store.Identity
		var created int64
		if err := rows.Scan(&id.Provider, &id.Subject, &id.UserID, &id.Email, &created); err != nil {
			return nil, fmt.Errorf("sqlite: identities of user %d: %w", userID, err)
		}
		id.CreatedAt = fromMicros(created)
		out = append(out, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: identities of user %d: %w", userID, err)
	}
	return out, nil
}
