package postgres

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Desk roles (policy III.B): the ALPR administrator, an investigator who searches and flags
// investigations aided, and an auditor who reads everything and changes nothing.
const (
	RoleAdministrator = "administrator"
	RoleInvestigator  = "investigator"
	RoleAuditor       = "auditor"
)

// DeskUser is a server account of the administrator's desk.
type DeskUser struct {
	Agency      string
	Name        string
	Role        string
	Password    string // argon2id hash, PHC string format
	Failed      int
	LockedUntil time.Time // zero: not locked
	Disabled    bool
}

// PutDeskUser adds an account or sets its role and password (unlocking it), audited.
func (db *DB) PutDeskUser(ctx context.Context, u DeskUser, by string) error {
	if u.Name == "" || u.Password == "" || (u.Role != RoleAdministrator && u.Role != RoleInvestigator && u.Role != RoleAuditor) {
		return fmt.Errorf("put desk user %q: %w: a name, a password and a role", u.Name, ErrInvalid)
	}
	now := db.now()
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO desk_users (agency_id, name, role, password, created_at, created_by)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (agency_id, name) DO UPDATE
			SET role = excluded.role, password = excluded.password, failed = 0, locked_until = NULL, disabled = false`,
			u.Agency, u.Name, u.Role, u.Password, now, by); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO server_audit (agency_id, at, actor, action, detail) VALUES ($1, $2, $3, $4, $5)`,
			u.Agency, now, by, "desk.user.put", fmt.Sprintf("desk account %s, role %s", u.Name, u.Role))
		return err
	})
	if err != nil {
		return fmt.Errorf("put desk user %s: %w", u.Name, err)
	}
	return nil
}

// DeskUserByName returns one account; ErrNotFound when there is none.
func (db *DB) DeskUserByName(ctx context.Context, agency, name string) (DeskUser, error) {
	u := DeskUser{Agency: agency, Name: name}
	var locked *time.Time
	err := db.pool.QueryRow(ctx, `SELECT role, password, failed, locked_until, disabled FROM desk_users
		WHERE agency_id = $1 AND name = $2`, agency, name).Scan(&u.Role, &u.Password, &u.Failed, &locked, &u.Disabled)
	if errors.Is(err, pgx.ErrNoRows) {
		return u, fmt.Errorf("desk user %s: %w", name, ErrNotFound)
	}
	if err != nil {
		return u, fmt.Errorf("read desk user %s: %w", name, err)
	}
	if locked != nil {
		u.LockedUntil = *locked
	}
	return u, nil
}

// DeskUsers lists the agency's accounts by name.
func (db *DB) DeskUsers(ctx context.Context, agency string) ([]DeskUser, error) {
	rows, err := db.pool.Query(ctx, `SELECT name, role, failed, coalesce(locked_until, 'epoch'), disabled FROM desk_users
		WHERE agency_id = $1 ORDER BY name`, agency)
	if err != nil {
		return nil, fmt.Errorf("list desk users: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (DeskUser, error) {
		u := DeskUser{Agency: agency}
		err := r.Scan(&u.Name, &u.Role, &u.Failed, &u.LockedUntil, &u.Disabled)
		if u.LockedUntil.Equal(time.Unix(0, 0)) {
			u.LockedUntil = time.Time{}
		}
		return u, err
	})
	if err != nil {
		return nil, fmt.Errorf("list desk users: %w", err)
	}
	return out, nil
}

// DeskSignInFailed counts a failed sign-in; after maxFailed in a row the account is locked
// for lockFor. It returns whether the account is now locked. Audited either way.
func (db *DB) DeskSignInFailed(ctx context.Context, agency, name string, maxFailed int, lockFor time.Duration) (bool, error) {
	now := db.now()
	var locked bool
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `UPDATE desk_users SET failed = failed + 1,
			locked_until = CASE WHEN failed + 1 >= $3 THEN $4::timestamptz ELSE locked_until END
			WHERE agency_id = $1 AND name = $2 RETURNING failed >= $3`,
			agency, name, maxFailed, now.Add(lockFor)).Scan(&locked)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		detail := "wrong password"
		if errors.Is(err, pgx.ErrNoRows) {
			detail = "no such account"
		} else if locked {
			detail = fmt.Sprintf("wrong password; locked until %s", now.Add(lockFor).Format(time.RFC3339))
		}
		// Only for an agency served here: a sign-in form cannot make audit logs of its own.
		_, err = tx.Exec(ctx, `INSERT INTO server_audit (agency_id, at, actor, action, detail)
			SELECT $1, $2, $3, $4, $5 WHERE EXISTS (SELECT 1 FROM agencies WHERE id = $1)`,
			agency, now, name, "desk.signin.failed", detail)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("record failed sign-in of %s: %w", name, err)
	}
	return locked, nil
}

// DeskSession is a signed-in session of the desk.
type DeskSession struct {
	Agency   string
	User     string
	Role     string
	Created  time.Time
	LastSeen time.Time
}

// StartDeskSession records a successful sign-in: it clears the failure count, stores the
// session under the SHA-256 of token and audits the sign-in.
func (db *DB) StartDeskSession(ctx context.Context, agency, name string, token []byte) error {
	now := db.now()
	sum := sha256.Sum256(token)
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE desk_users SET failed = 0, locked_until = NULL WHERE agency_id = $1 AND name = $2`,
			agency, name); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO desk_sessions (token_sha256, agency_id, user_name, created_at, last_seen_at)
			VALUES ($1, $2, $3, $4, $4)`, sum[:], agency, name, now); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO server_audit (agency_id, at, actor, action, detail) VALUES ($1, $2, $3, $4, $5)`,
			agency, now, name, "desk.signin", "signed in")
		return err
	})
	if err != nil {
		return fmt.Errorf("start session of %s: %w", name, err)
	}
	return nil
}

// TouchDeskSession returns the session of token and marks it seen now, unless it has been
// idle longer than idle or is older than maxAge (then it is removed and ErrNotFound returned).
func (db *DB) TouchDeskSession(ctx context.Context, token []byte, idle, maxAge time.Duration) (DeskSession, error) {
	now := db.now()
	sum := sha256.Sum256(token)
	var s DeskSession
	err := db.pool.QueryRow(ctx, `UPDATE desk_sessions d SET last_seen_at = $2 FROM desk_users u
		WHERE d.token_sha256 = $1 AND u.agency_id = d.agency_id AND u.name = d.user_name AND NOT u.disabled
			AND d.last_seen_at > $3 AND d.created_at > $4
		RETURNING d.agency_id, d.user_name, u.role, d.created_at, d.last_seen_at`,
		sum[:], now, now.Add(-idle), now.Add(-maxAge)).Scan(&s.Agency, &s.User, &s.Role, &s.Created, &s.LastSeen)
	if errors.Is(err, pgx.ErrNoRows) {
		_, _ = db.pool.Exec(ctx, `DELETE FROM desk_sessions WHERE token_sha256 = $1`, sum[:])
		return s, fmt.Errorf("desk session: %w", ErrNotFound)
	}
	if err != nil {
		return s, fmt.Errorf("read desk session: %w", err)
	}
	return s, nil
}

// EndDeskSession signs a session out.
func (db *DB) EndDeskSession(ctx context.Context, token []byte) error {
	sum := sha256.Sum256(token)
	var agency, name string
	err := db.pool.QueryRow(ctx, `DELETE FROM desk_sessions WHERE token_sha256 = $1 RETURNING agency_id, user_name`,
		sum[:]).Scan(&agency, &name)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("end desk session: %w", err)
	}
	return db.ServerAudit(ctx, agency, name, "desk.signout", "signed out")
}
