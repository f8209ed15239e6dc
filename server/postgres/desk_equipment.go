package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"patrol-alpr/wire"
)

// InspectionEvery is how often each camera is inspected (III.B.1.a: at minimum quarterly).
const InspectionEvery = 3 // months

// CameraInspection is one camera's place in the quarterly inspection schedule.
type CameraInspection struct {
	Vehicle    string
	Camera     string
	LastAt     time.Time // zero: never inspected
	LastBy     string
	LastResult string
	Due        time.Time // zero: due now (never inspected)
}

// Overdue says whether the camera's inspection is past due at now.
func (c CameraInspection) Overdue(now time.Time) bool { return c.LastAt.IsZero() || now.After(c.Due) }

// Inspections returns the schedule for each of cameras on each of the agency's vehicles.
func (db *DB) Inspections(ctx context.Context, agency string, cameras []string) ([]CameraInspection, error) {
	rows, err := db.pool.Query(ctx, `SELECT v.number, c.camera, coalesce(i.inspected_at, 'epoch'), coalesce(i.inspected_by, ''),
			coalesce(i.result, '')
		FROM vehicles v CROSS JOIN unnest($2::text[]) AS c(camera)
		LEFT JOIN LATERAL (SELECT inspected_at, inspected_by, result FROM equipment_inspections i
			WHERE i.agency_id = v.agency_id AND i.vehicle = v.number AND i.camera = c.camera
			ORDER BY inspected_at DESC LIMIT 1) i ON true
		WHERE v.agency_id = $1 ORDER BY v.number, c.camera`, agency, cameras)
	if err != nil {
		return nil, fmt.Errorf("read inspection schedule: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (CameraInspection, error) {
		var c CameraInspection
		err := r.Scan(&c.Vehicle, &c.Camera, &c.LastAt, &c.LastBy, &c.LastResult)
		if c.LastAt.Equal(time.Unix(0, 0)) {
			c.LastAt = time.Time{}
		} else {
			c.Due = c.LastAt.AddDate(0, InspectionEvery, 0)
		}
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("read inspection schedule: %w", err)
	}
	return out, nil
}

// RecordInspection records a camera's inspection, audited.
func (db *DB) RecordInspection(ctx context.Context, agency, vehicle, camera, result, note, by string) error {
	if vehicle == "" || camera == "" || (result != "pass" && result != "fail") {
		return fmt.Errorf("record inspection: %w: a vehicle, a camera and pass or fail", ErrInvalid)
	}
	now := db.now()
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO equipment_inspections (agency_id, id, vehicle, camera, inspected_at, inspected_by, result, note)
			SELECT agency_id, $3, number, $4, $5, $6, $7, $8 FROM vehicles WHERE agency_id = $1 AND number = $2`,
			agency, vehicle, wire.NewUUID(), camera, now, by, result, note); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO server_audit (agency_id, at, actor, action, detail) VALUES ($1, $2, $3, $4, $5)`,
			agency, now, by, "equipment.inspect", fmt.Sprintf("vehicle %s %s: %s. %s", vehicle, camera, result, note))
		return err
	})
	if err != nil {
		return fmt.Errorf("record inspection of %s %s: %w", vehicle, camera, err)
	}
	return nil
}

// EquipmentReport is a damage report from a car (III.C.4).
type EquipmentReport struct {
	UUID        string
	Vehicle     string
	Operator    string
	Camera      string
	Problem     string
	Note        string
	At          time.Time
	ClosedAt    time.Time // zero: open
	ClosedBy    string
	ActionTaken string
}

// EquipmentReports lists the damage reports, open ones first, newest first.
func (db *DB) EquipmentReports(ctx context.Context, agency string) ([]EquipmentReport, error) {
	rows, err := db.pool.Query(ctx, `SELECT uuid::text, vehicle, operator_id, camera, problem, note, at,
		coalesce(closed_at, 'epoch'), coalesce(closed_by, ''), coalesce(action_taken, '')
		FROM equipment_reports WHERE agency_id = $1 ORDER BY closed_at IS NOT NULL, at DESC LIMIT 500`, agency)
	if err != nil {
		return nil, fmt.Errorf("list equipment reports: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (EquipmentReport, error) {
		var e EquipmentReport
		err := r.Scan(&e.UUID, &e.Vehicle, &e.Operator, &e.Camera, &e.Problem, &e.Note, &e.At, &e.ClosedAt, &e.ClosedBy, &e.ActionTaken)
		if e.ClosedAt.Equal(time.Unix(0, 0)) {
			e.ClosedAt = time.Time{}
		}
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("list equipment reports: %w", err)
	}
	return out, nil
}

// CloseEquipmentReport closes a damage report with what was done, audited.
func (db *DB) CloseEquipmentReport(ctx context.Context, agency, id, action, by string) error {
	if action == "" || !wire.ValidUUID(id) {
		return fmt.Errorf("close equipment report: %w: say what was done", ErrInvalid)
	}
	now := db.now()
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE equipment_reports SET closed_at = $3, closed_by = $4, action_taken = $5
			WHERE agency_id = $1 AND uuid = $2 AND closed_at IS NULL`, agency, id, now, by, action)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("report %s: %w (or already closed)", id, ErrNotFound)
		}
		_, err = tx.Exec(ctx, `INSERT INTO server_audit (agency_id, at, actor, action, detail) VALUES ($1, $2, $3, $4, $5)`,
			agency, now, by, "equipment.close", fmt.Sprintf("report %s: %s", id, action))
		return err
	})
	if err != nil {
		return fmt.Errorf("close equipment report %s: %w", id, err)
	}
	return nil
}
