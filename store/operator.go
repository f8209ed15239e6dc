package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"patrol-alpr/alpr"
)

// Login lockout: after MaxPINFailures wrong PINs in a row the operator waits LockoutPeriod.
const (
	MaxPINFailures = 5
	LockoutPeriod  = 15 * time.Minute
	MinPINLength   = 4
)

const operatorColumns = `id, name, role, phone, trained_at, certified_at, database_trained_at`

// PutOperator creates or updates an operator on the program's own behalf (the classroom's
// accounts, and the roster the agency server sends). An empty pin keeps the stored one.
func (db *DB) PutOperator(ctx context.Context, op alpr.Operator, pin string) error {
	return db.putOperator(ctx, actorSystem, op, pin, false)
}

// AddOperator enrols a new operator with a PIN; actor is who did it (an administrator's
// operator id, or the account at the shell that ran `patrol-alpr operator add`) and is
// written to the audit log. An operator id already enrolled is refused (ErrExists), so an
// administrator never replaces someone's PIN by mistake.
func (db *DB) AddOperator(ctx context.Context, actor string, op alpr.Operator, pin string) error {
	if strings.TrimSpace(actor) == "" {
		return fmt.Errorf("add operator %s: %w: no actor to audit", op.ID, ErrInvalid)
	}
	if pin == "" {
		return fmt.Errorf("add operator %s: %w: no PIN", op.ID, ErrInvalid)
	}
	return db.putOperator(ctx, actor, op, pin, true)
}

func (db *DB) putOperator(ctx context.Context, actor string, op alpr.Operator, pin string, mustBeNew bool) error {
	if err := validOperator(op); err != nil {
		return err
	}
	var salt, hash []byte
	if pin != "" {
		if utf8.RuneCountInString(pin) < MinPINLength {
			return fmt.Errorf("put operator %s: %w: PIN shorter than %d characters", op.ID, ErrInvalid, MinPINLength)
		}
		salt = newSalt()
		var err error
		if hash, err = hashPIN(pin, salt, db.pinIter); err != nil {
			return fmt.Errorf("put operator %s: %w", op.ID, err)
		}
	}
	err := db.withTx(ctx, func(tx *sql.Tx) error {
		if mustBeNew {
			var one int
			err := tx.QueryRowContext(ctx, `SELECT 1 FROM operators WHERE id = ?`, op.ID).Scan(&one)
			if err == nil {
				return fmt.Errorf("operator %s: %w", op.ID, ErrExists)
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO operators (`+operatorColumns+`, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role, phone = excluded.phone,
				trained_at = excluded.trained_at, certified_at = excluded.certified_at,
				database_trained_at = excluded.database_trained_at, updated_at = excluded.updated_at`,
			op.ID, op.Name, string(op.Role), op.Phone, nanos(op.TrainedAt), nanos(op.CertifiedAt),
			nanos(op.DatabaseTrainedAt), db.now().UnixNano())
		if err != nil {
			return err
		}
		detail := fmt.Sprintf("operator %s role %s", op.ID, op.Role)
		if hash != nil {
			// A new PIN also lifts a lockout: an administrator has just set it.
			if _, err := tx.ExecContext(ctx, `UPDATE operators SET pin_salt = ?, pin_hash = ?, pin_iterations = ?,
				failed_attempts = 0, locked_until = NULL WHERE id = ?`, salt, hash, db.pinIter, op.ID); err != nil {
				return err
			}
			detail += ", PIN set"
		}
		return db.audit(ctx, tx, actor, ActionOperatorPut, detail)
	})
	if err != nil {
		return fmt.Errorf("put operator %s: %w", op.ID, err)
	}
	return nil
}

func validOperator(op alpr.Operator) error {
	switch {
	case strings.TrimSpace(op.ID) == "":
		return fmt.Errorf("put operator: %w: empty id", ErrInvalid)
	case strings.TrimSpace(op.Name) == "":
		return fmt.Errorf("put operator %s: %w: empty name", op.ID, ErrInvalid)
	}
	switch op.Role {
	case alpr.RoleOperator, alpr.RoleAdministrator, alpr.RoleTrainer:
		return nil
	}
	return fmt.Errorf("put operator %s: %w: unknown role %q", op.ID, ErrInvalid, op.Role)
}

// Operator returns one operator.
func (db *DB) Operator(ctx context.Context, id string) (alpr.Operator, error) {
	op, err := scanOperator(db.sql.QueryRowContext(ctx, `SELECT `+operatorColumns+` FROM operators WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return op, fmt.Errorf("operator %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return op, fmt.Errorf("operator %s: %w", id, err)
	}
	return op, nil
}

// Operators returns every operator, by id.
func (db *DB) Operators(ctx context.Context) ([]alpr.Operator, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT `+operatorColumns+` FROM operators ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list operators: %w", err)
	}
	defer rows.Close()
	var out []alpr.Operator
	for rows.Next() {
		op, err := scanOperator(rows)
		if err != nil {
			return nil, fmt.Errorf("list operators: %w", err)
		}
		out = append(out, op)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list operators: %w", err)
	}
	return out, nil
}

func scanOperator(r rowScanner) (alpr.Operator, error) {
	var op alpr.Operator
	var role string
	var trained, certified, dbTrained sql.NullInt64
	if err := r.Scan(&op.ID, &op.Name, &role, &op.Phone, &trained, &certified, &dbTrained); err != nil {
		return op, err
	}
	op.Role, op.TrainedAt, op.CertifiedAt, op.DatabaseTrainedAt = alpr.Role(role), fromNanos(trained), fromNanos(certified), fromNanos(dbTrained)
	return op, nil
}

// Authenticate checks an operator's PIN. After MaxPINFailures wrong PINs in a row the
// operator is locked out for LockoutPeriod (ErrLockedOut), even with the right PIN.
// Every attempt is audited.
func (db *DB) Authenticate(ctx context.Context, id, pin string) (alpr.Operator, error) {
	var salt, hash []byte
	var iter, failures int
	var locked sql.NullInt64
	err := db.sql.QueryRowContext(ctx, `SELECT pin_salt, pin_hash, pin_iterations, failed_attempts, locked_until
		FROM operators WHERE id = ?`, id).Scan(&salt, &hash, &iter, &failures, &locked)
	if errors.Is(err, sql.ErrNoRows) {
		// Unknown ids are audited like wrong PINs and cost the same time, so the
		// answer does not reveal which ids exist.
		pinMatches(pin, newSalt(), make([]byte, pinKeyLen), db.pinIter)
		return alpr.Operator{}, db.loginFailed(ctx, id, "unknown operator", ErrBadCredentials)
	}
	if err != nil {
		return alpr.Operator{}, fmt.Errorf("authenticate %s: %w", id, err)
	}
	now := db.now()
	if locked.Valid && now.UnixNano() < locked.Int64 {
		until := time.Unix(0, locked.Int64).UTC()
		return alpr.Operator{}, db.loginFailed(ctx, id, "locked until "+until.Format(time.RFC3339),
			fmt.Errorf("%w until %s", ErrLockedOut, until.Format(time.RFC3339)))
	}
	if !pinMatches(pin, salt, hash, iter) {
		failures++
		if failures < MaxPINFailures {
			err := db.withTx(ctx, func(tx *sql.Tx) error {
				if _, err := tx.ExecContext(ctx, `UPDATE operators SET failed_attempts = ?, locked_until = NULL WHERE id = ?`, failures, id); err != nil {
					return err
				}
				return db.audit(ctx, tx, id, ActionLoginFailed, fmt.Sprintf("wrong PIN (%d of %d)", failures, MaxPINFailures))
			})
			if err != nil {
				return alpr.Operator{}, fmt.Errorf("authenticate %s: %w", id, err)
			}
			return alpr.Operator{}, fmt.Errorf("authenticate %s: %w", id, ErrBadCredentials)
		}
		until := now.Add(LockoutPeriod).UTC()
		err := db.withTx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, `UPDATE operators SET failed_attempts = 0, locked_until = ? WHERE id = ?`, until.UnixNano(), id); err != nil {
				return err
			}
			return db.audit(ctx, tx, id, ActionLockedOut, fmt.Sprintf("%d wrong PINs; locked until %s", failures, until.Format(time.RFC3339)))
		})
		if err != nil {
			return alpr.Operator{}, fmt.Errorf("authenticate %s: %w", id, err)
		}
		return alpr.Operator{}, fmt.Errorf("authenticate %s: %w until %s", id, ErrLockedOut, until.Format(time.RFC3339))
	}
	var op alpr.Operator
	err = db.withTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE operators SET failed_attempts = 0, locked_until = NULL WHERE id = ?`, id); err != nil {
			return err
		}
		var err error
		if op, err = scanOperator(tx.QueryRowContext(ctx, `SELECT `+operatorColumns+` FROM operators WHERE id = ?`, id)); err != nil {
			return err
		}
		return db.audit(ctx, tx, id, ActionLogin, "PIN accepted")
	})
	if err != nil {
		return alpr.Operator{}, fmt.Errorf("authenticate %s: %w", id, err)
	}
	return op, nil
}

// loginFailed audits a refused login and returns the error for the caller.
func (db *DB) loginFailed(ctx context.Context, id, why string, cause error) error {
	if err := db.Audit(ctx, id, ActionLoginFailed, why); err != nil {
		return fmt.Errorf("authenticate %s: %w (and %w)", id, cause, err)
	}
	return fmt.Errorf("authenticate %s: %w", id, cause)
}
