package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"patrol-alpr/wire"
)

// Agency is one law-enforcement agency served by this server.
type Agency struct {
	ID   string
	Name string
}

// PutAgency adds the agency or renames it.
func (db *DB) PutAgency(ctx context.Context, a Agency) error {
	if a.ID == "" || a.Name == "" {
		return fmt.Errorf("put agency: %w: id and name are required", ErrInvalid)
	}
	if _, err := db.pool.Exec(ctx, `INSERT INTO agencies (id, name) VALUES ($1, $2)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name`, a.ID, a.Name); err != nil {
		return fmt.Errorf("put agency %s: %w", a.ID, err)
	}
	return nil
}

// Vehicle is a patrol car or a fixed camera site of an agency.
type Vehicle struct {
	Agency   string
	Number   string
	Kind     string // "car" or "fixed"
	FixedLat float64
	FixedLon float64

	LastSync     time.Time // zero: never synced
	Backlog      int64
	OldestUnsent float64 // seconds
}

// PutVehicle registers a car or a fixed camera.
func (db *DB) PutVehicle(ctx context.Context, v Vehicle) error {
	if v.Kind == "" {
		v.Kind = "car"
	}
	if v.Number == "" || (v.Kind != "car" && v.Kind != "fixed") {
		return fmt.Errorf("put vehicle %q: %w: a number, and kind car or fixed", v.Number, ErrInvalid)
	}
	var lat, lon *float64
	if v.Kind == "fixed" {
		lat, lon = &v.FixedLat, &v.FixedLon
	}
	if _, err := db.pool.Exec(ctx, `INSERT INTO vehicles (agency_id, number, kind, fixed_lat, fixed_lon)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (agency_id, number) DO UPDATE
		SET kind = excluded.kind, fixed_lat = excluded.fixed_lat, fixed_lon = excluded.fixed_lon`,
		v.Agency, v.Number, v.Kind, lat, lon); err != nil {
		return fmt.Errorf("put vehicle %s: %w", v.Number, err)
	}
	return nil
}

// Vehicles lists the agency's vehicles with how their sync stands.
func (db *DB) Vehicles(ctx context.Context, agency string) ([]Vehicle, error) {
	rows, err := db.pool.Query(ctx, `SELECT agency_id, number, kind, coalesce(fixed_lat, 0), coalesce(fixed_lon, 0),
		coalesce(last_sync_at, 'epoch'), backlog, oldest_unsent_s FROM vehicles WHERE agency_id = $1 ORDER BY number`, agency)
	if err != nil {
		return nil, fmt.Errorf("list vehicles: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Vehicle, error) {
		var v Vehicle
		err := r.Scan(&v.Agency, &v.Number, &v.Kind, &v.FixedLat, &v.FixedLon, &v.LastSync, &v.Backlog, &v.OldestUnsent)
		if v.LastSync.Equal(time.Unix(0, 0)) {
			v.LastSync = time.Time{}
		}
		return v, err
	})
	if err != nil {
		return nil, fmt.Errorf("list vehicles: %w", err)
	}
	return out, nil
}

// Certificate is a vehicle's client certificate as the server knows it.
type Certificate struct {
	Agency    string
	Serial    string
	Vehicle   string
	IssuedAt  time.Time
	NotAfter  time.Time
	RevokedAt time.Time // zero: valid
}

// AddCertificate records a certificate issued to a registered vehicle.
func (db *DB) AddCertificate(ctx context.Context, c Certificate, by string) error {
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO certificates (agency_id, serial, vehicle, issued_at, not_after)
			VALUES ($1, $2, $3, $4, $5)`, c.Agency, c.Serial, c.Vehicle, c.IssuedAt, c.NotAfter); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO server_audit (agency_id, at, actor, action, detail) VALUES ($1, $2, $3, $4, $5)`,
			c.Agency, db.now(), by, "certificate.issue", fmt.Sprintf("vehicle %s serial %s until %s",
				c.Vehicle, c.Serial, c.NotAfter.UTC().Format(time.DateOnly)))
		return err
	})
	if err != nil {
		return fmt.Errorf("record certificate of %s: %w", c.Vehicle, err)
	}
	return nil
}

// RevokeVehicle revokes every certificate of the vehicle: from the next request on, the
// server refuses it. It returns how many certificates it revoked.
func (db *DB) RevokeVehicle(ctx context.Context, agency, vehicle, by string) (int64, error) {
	var n int64
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE certificates SET revoked_at = $3, revoked_by = $4
			WHERE agency_id = $1 AND vehicle = $2 AND revoked_at IS NULL`, agency, vehicle, db.now(), by)
		if err != nil {
			return err
		}
		if n = tag.RowsAffected(); n == 0 {
			return fmt.Errorf("vehicle %s: %w: no valid certificate", vehicle, ErrNotFound)
		}
		_, err = tx.Exec(ctx, `INSERT INTO server_audit (agency_id, at, actor, action, detail) VALUES ($1, $2, $3, $4, $5)`,
			agency, db.now(), by, "certificate.revoke", fmt.Sprintf("vehicle %s: %d certificate(s)", vehicle, n))
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("revoke vehicle %s: %w", vehicle, err)
	}
	return n, nil
}

// CheckCertificate says whether a certificate may be used now: known, for that vehicle, not
// revoked. It is asked on every request, so that a revocation shuts a car out at once.
func (db *DB) CheckCertificate(ctx context.Context, agency, serial, vehicle string) error {
	var owner string
	var revoked *time.Time
	err := db.pool.QueryRow(ctx, `SELECT vehicle, revoked_at FROM certificates WHERE agency_id = $1 AND serial = $2`,
		agency, serial).Scan(&owner, &revoked)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return fmt.Errorf("certificate %s: %w", serial, ErrUnknownVehicle)
	case err != nil:
		return fmt.Errorf("check certificate %s: %w", serial, err)
	case owner != vehicle:
		return fmt.Errorf("certificate %s is vehicle %s's, not %s: %w", serial, owner, vehicle, ErrUnknownVehicle)
	case revoked != nil:
		return fmt.Errorf("certificate %s of vehicle %s: %w", serial, vehicle, ErrRevoked)
	}
	return nil
}

// Operator is one ALPR operator on an agency's roster.
type Operator struct {
	Agency         string
	ID             string
	Name           string
	Active         bool
	TrainedOn      time.Time
	CertifiedUntil time.Time
}

// PutOperator adds an operator to the roster or updates them.
func (db *DB) PutOperator(ctx context.Context, o Operator, by string) error {
	if o.ID == "" || o.Name == "" {
		return fmt.Errorf("put operator: %w: id and name are required", ErrInvalid)
	}
	date := func(t time.Time) *time.Time {
		if t.IsZero() {
			return nil
		}
		return &t
	}
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO operators (agency_id, operator_id, name, active, trained_on, certified_until, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (agency_id, operator_id) DO UPDATE
			SET name = excluded.name, active = excluded.active, trained_on = excluded.trained_on,
				certified_until = excluded.certified_until, updated_at = excluded.updated_at`,
			o.Agency, o.ID, o.Name, o.Active, date(o.TrainedOn), date(o.CertifiedUntil), db.now()); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO server_audit (agency_id, at, actor, action, detail) VALUES ($1, $2, $3, $4, $5)`,
			o.Agency, db.now(), by, "operator.put", fmt.Sprintf("operator %s (%s) active %t", o.ID, o.Name, o.Active))
		return err
	})
	if err != nil {
		return fmt.Errorf("put operator %s: %w", o.ID, err)
	}
	return nil
}

// CarRoster lists the agency's operators for the cars (III.C.1-2).
func (db *DB) CarRoster(ctx context.Context, agency string) ([]wire.RosterEntry, error) {
	rows, err := db.pool.Query(ctx, `SELECT operator_id, name, active, coalesce(trained_on, 'epoch'), coalesce(certified_until, 'epoch')
		FROM operators WHERE agency_id = $1 ORDER BY operator_id`, agency)
	if err != nil {
		return nil, fmt.Errorf("read roster: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (wire.RosterEntry, error) {
		var e wire.RosterEntry
		err := r.Scan(&e.ID, &e.Name, &e.Active, &e.TrainedOn, &e.CertifiedUntil)
		epoch := time.Unix(0, 0).UTC()
		if e.TrainedOn.Equal(epoch) {
			e.TrainedOn = time.Time{}
		}
		if e.CertifiedUntil.Equal(epoch) {
			e.CertifiedUntil = time.Time{}
		}
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("read roster: %w", err)
	}
	return out, nil
}
