package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Trainee is an operator on the training roster (III.B.1.b, III.C.1-2).
type Trainee struct {
	ID             string
	Name           string
	Active         bool
	TrainedOn      time.Time // zero: not trained
	Certification  string
	CertifiedUntil time.Time // zero: no certification
}

// Lapsed says whether the certification has lapsed (or never was) at now.
func (t Trainee) Lapsed(now time.Time) bool {
	return t.CertifiedUntil.IsZero() || !now.Before(t.CertifiedUntil.AddDate(0, 0, 1))
}

// Roster returns the agency's operators with their training.
func (db *DB) Roster(ctx context.Context, agency string) ([]Trainee, error) {
	rows, err := db.pool.Query(ctx, `SELECT operator_id, name, active, coalesce(trained_on, 'epoch'), certification,
		coalesce(certified_until, 'epoch') FROM operators WHERE agency_id = $1 ORDER BY operator_id`, agency)
	if err != nil {
		return nil, fmt.Errorf("read roster: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Trainee, error) {
		var t Trainee
		err := r.Scan(&t.ID, &t.Name, &t.Active, &t.TrainedOn, &t.Certification, &t.CertifiedUntil)
		epoch := time.Unix(0, 0)
		if t.TrainedOn.Equal(epoch) {
			t.TrainedOn = time.Time{}
		}
		if t.CertifiedUntil.Equal(epoch) {
			t.CertifiedUntil = time.Time{}
		}
		return t, err
	})
	if err != nil {
		return nil, fmt.Errorf("read roster: %w", err)
	}
	return out, nil
}

// PutTrainees adds or updates operators with their training in one transaction (a CSV
// import is all or nothing), audited.
func (db *DB) PutTrainees(ctx context.Context, agency string, ts []Trainee, by string) error {
	now := db.now()
	date := func(t time.Time) *time.Time {
		if t.IsZero() {
			return nil
		}
		return &t
	}
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		var q pgx.Batch
		for _, t := range ts {
			if t.ID == "" || t.Name == "" {
				return fmt.Errorf("%w: every operator needs an id and a name", ErrInvalid)
			}
			q.Queue(`INSERT INTO operators (agency_id, operator_id, name, active, trained_on, certification, certified_until, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (agency_id, operator_id) DO UPDATE
				SET name = excluded.name, active = excluded.active, trained_on = excluded.trained_on,
					certification = excluded.certification, certified_until = excluded.certified_until, updated_at = excluded.updated_at`,
				agency, t.ID, t.Name, t.Active, date(t.TrainedOn), t.Certification, date(t.CertifiedUntil), now)
			q.Queue(`INSERT INTO server_audit (agency_id, at, actor, action, detail) VALUES ($1, $2, $3, $4, $5)`,
				agency, now, by, "operator.training", fmt.Sprintf("operator %s (%s) trained %s, %s until %s, active %t",
					t.ID, t.Name, t.TrainedOn.Format(time.DateOnly), t.Certification, t.CertifiedUntil.Format(time.DateOnly), t.Active))
		}
		return tx.SendBatch(ctx, &q).Close()
	})
	if err != nil {
		return fmt.Errorf("put %d operators' training: %w", len(ts), err)
	}
	return nil
}
