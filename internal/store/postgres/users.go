package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/segfaultarena/segfault/internal/store"
)

const userColumns = "id, username, password_hash, role, disabled, display_name, avatar_url, created_at"

func scanUser(row pgx.Row) (store.User, error) {
	var u store.User
	var role string
	if err := row.Scan(&u.ID, &u.Username, &u.PasswordHash, &role, &u.Disabled,
		&u.DisplayName, &u.AvatarURL, &u.CreatedAt); err != nil {
		return store.User{}, err
	}
	u.Role = store.Role(role)
	u.CreatedAt = utc(u.CreatedAt)
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

// querier is what both the pool and a transaction offer.
type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func insertUser(ctx context.Context, q querier, u store.NewUser) (store.User, error) {
	if err := checkRole(roleOrDefault(u.Role)); err != nil {
		return store.User{}, err
	}
	return scanUser(q.QueryRow(ctx,
		`INSERT INTO users (username, password_hash, role, display_name, avatar_url)
		 VALUES ($1, $2, $3, $4, $5) RETURNING `+userColumns,
		u.Username, u.PasswordHash, string(roleOrDefault(u.Role)), u.DisplayName, u.AvatarURL))
}

func (s *Store) CreateUser(ctx context.Context, u store.NewUser) (store.User, error) {
	created, err := insertUser(ctx, s.pool, u)
	if err != nil {
		return store.User{}, fmt.Errorf("postgres: create user %q: %w", u.Username, classify(err))
	}
	return created, nil
}

func (s *Store) CreateUserWithIdentity(ctx context.Context, u store.NewUser, id store.Identity) (store.User, error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return store.User{}, fmt.Errorf("postgres: create user %q: begin: %w", u.Username, err)
	}
	defer tx.Rollback(context.Background())
	created, err := insertUser(ctx, tx, u)
	if err != nil {
		return store.User{}, fmt.Errorf("postgres: create user %q: %w", u.Username, classify(err))
	}
	if _, err := tx.Exec(ctx,
		"INSERT INTO identities (provider, subject, user_id, email) VALUES ($1, $2, $3, $4)",
		id.Provider, id.Subject, created.ID, id.Email); err != nil {
		return store.User{}, fmt.Errorf("postgres: create user %q: link %s identity: %w", u.Username, id.Provider, classify(err))
	}
	if err := tx.Commit(ctx); err != nil {
		return store.User{}, fmt.Errorf("postgres: create user %q: commit: %w", u.Username, classify(err))
	}
	return created, nil
}

func (s *Store) UserByID(ctx context.Context, id int64) (store.User, error) {
	u, err := scanUser(s.pool.QueryRow(ctx, "SELECT "+userColumns+" FROM users WHERE id = $1", id))
	if err != nil {
		return store.User{}, fmt.Errorf("postgres: user %d: %w", id, classify(err))
	}
	return u, nil
}

func (s *Store) UserByUsername(ctx context.Context, username string) (store.User, error) {
	// lower() on both sides matches the users_username_lower index.
	u, err := scanUser(s.pool.QueryRow(ctx,
		"SELECT "+userColumns+" FROM users WHERE lower(username) = lower($1)", username))
	if err != nil {
		return store.User{}, fmt.Errorf("postgres: user %q: %w", username, classify(err))
	}
	return u, nil
}

func (s *Store) UserByIdentity(ctx context.Context, provider, subject string) (store.User, error) {
	u, err := scanUser(s.pool.QueryRow(ctx,
		`SELECT u.id, u.username, u.password_hash, u.role, u.disabled, u.display_name, u.avatar_url, u.created_at
		 FROM identities i JOIN users u ON u.id = i.user_id
		 WHERE i.provider = $1 AND i.subject = $2`, provider, subject))
	if err != nil {
		return store.User{}, fmt.Errorf("postgres: user by %s identity: %w", provider, classify(err))
	}
	return u, nil
}

// updateUser runs an UPDATE of one user row and reports ErrNotFound when no
// row has that id.
func (s *Store) updateUser(ctx context.Context, what string, id int64, query string, args ...any) error {
	tag, err := s.pool.Exec(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("postgres: set %s of user %d: %w", what, id, classify(err))
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("postgres: set %s of user %d: %w", what, id, store.ErrNotFound)
	}
	return nil
}

func (s *Store) SetUserRole(ctx context.Context, id int64, role store.Role) error {
	if err := checkRole(role); err != nil {
		return fmt.Errorf("postgres: set role of user %d: %w", id, err)
	}
	return s.updateUser(ctx, "role", id, "UPDATE users SET role = $1 WHERE id = $2", string(role), id)
}

func (s *Store) SetUserDisabled(ctx context.Context, id int64, disabled bool) error {
	return s.updateUser(ctx, "disabled", id, "UPDATE users SET disabled = $1 WHERE id = $2", disabled, id)
}

func (s *Store) SetPasswordHash(ctx context.Context, id int64, hash string) error {
	return s.updateUser(ctx, "password", id, "UPDATE users SET password_hash = $1 WHERE id = $2", hash, id)
}

func (s *Store) Profile(ctx context.Context, userID int64) (store.Profile, error) {
	var p store.Profile
	err := s.pool.QueryRow(ctx,
		`SELECT user_id, display_name, avatar_url, rating, rd, volatility, xp, level
		 FROM profiles WHERE user_id = $1`, userID).
		Scan(&p.UserID, &p.DisplayName, &p.AvatarURL, &p.Rating, &p.RD, &p.Volatility, &p.XP, &p.Level)
	if err != nil {
		return store.Profile{}, fmt.Errorf("postgres: profile of user %d: %w", userID, classify(err))
	}
	return p, nil
}

// LinkIdentity is idempotent for the user who already owns the identity.
// ON CONFLICT keeps the insert race-free without a failed statement aborting
// the transaction.
func (s *Store) LinkIdentity(ctx context.Context, id store.Identity) error {
	var owner int64
	err := s.pool.QueryRow(ctx,
		`WITH ins AS (
		     INSERT INTO identities (provider, subject, user_id, email) VALUES ($1, $2, $3, $4)
		     ON CONFLICT (provider, subject) DO NOTHING
		     RETURNING user_id)
		 SELECT user_id FROM ins
		 UNION ALL
		 SELECT user_id FROM identities WHERE provider = $1 AND subject = $2
		 LIMIT 1`,
		id.Provider, id.Subject, id.UserID, id.Email).Scan(&owner)
	switch {
	case err != nil && errors.Is(err, pgx.ErrNoRows):
		// Another transaction linked it after this statement's snapshot was
		// taken: the insert saw its row, the select could not. Someone else
		// won, so report the conflict rather than guess the owner.
		return fmt.Errorf("postgres: link %s identity to user %d: %w", id.Provider, id.UserID, store.ErrConflict)
	case err != nil:
		return fmt.Errorf("postgres: link %s identity to user %d: %w", id.Provider, id.UserID, classify(err))
	case owner != id.UserID:
		return fmt.Errorf("postgres: link %s identity to user %d: linked to another user: %w", id.Provider, id.UserID, store.ErrConflict)
	}
	return nil
}

func (s *Store) Identities(ctx context.Context, userID int64) ([]store.Identity, error) {
	rows, err := s.pool.Query(ctx,
		`SELECT provider, subject, user_id, email, created_at FROM identities
		 WHERE user_id = $1 ORDER BY provider, subject`, userID)
	if err != nil {
		return nil, fmt.Errorf("postgres: identities of user %d: %w", userID, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.Identity, error) {
		var id store.Identity
		err := row.Scan(&id.Provider, &id.Subject, &id.UserID, &id.Email, &id.CreatedAt)
		id.CreatedAt = utc(id.CreatedAt)
		return id, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: identities of user %d: %w", userID, err)
	}
	return out, nil
}
