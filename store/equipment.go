package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"patrol-alpr/alpr"
	"patrol-alpr/wire"
)

// EquipmentReport documents inoperable or damaged ALPR equipment (III.C.4.b); it is
// sent to the ALPR Administrator through the outbox (III.C.4.a).
type EquipmentReport struct {
	ID            int64         `json:"id"`
	UUID          string        `json:"uuid"`
	Camera        alpr.CameraID `json:"camera,omitempty"` // empty when not about one camera
	Problem       string        `json:"problem"`
	Note          string        `json:"note,omitempty"`
	OperatorID    string        `json:"operator_id"`
	VehicleNumber string        `json:"vehicle_number"`
	At            time.Time     `json:"at"`
}

// ReportEquipment stores an equipment report, queues it for the administrator and
// audits it.
func (db *DB) ReportEquipment(ctx context.Context, r EquipmentReport) error {
	if strings.TrimSpace(r.Problem) == "" {
		return fmt.Errorf("report equipment: %w: no problem described", ErrInvalid)
	}
	if r.UUID == "" {
		r.UUID = wire.NewUUID()
	}
	if r.At.IsZero() {
		r.At = db.now().UTC()
	}
	err := db.withTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO equipment_reports (uuid, camera, problem, note, operator_id,
			vehicle_number, at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, r.UUID, string(r.Camera), r.Problem, r.Note,
			r.OperatorID, r.VehicleNumber, r.At.UnixNano()).Scan(&r.ID); err != nil {
			return err
		}
		if err := db.enqueue(ctx, tx, KindEquipment, r); err != nil {
			return err
		}
		actor := r.OperatorID
		if actor == "" {
			actor = actorSystem
		}
		return db.audit(ctx, tx, actor, ActionEquipment, fmt.Sprintf("vehicle %s %s: %s", r.VehicleNumber, r.Camera, r.Problem))
	})
	if err != nil {
		return fmt.Errorf("report equipment %s: %w", r.Problem, err)
	}
	return nil
}

// EquipmentReports returns the reports made at or after since, oldest first.
func (db *DB) EquipmentReports(ctx context.Context, since time.Time) ([]EquipmentReport, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT id, uuid, camera, problem, note, operator_id, vehicle_number, at
		FROM equipment_reports WHERE at >= ? ORDER BY at, id`, since.UnixNano())
	if err != nil {
		return nil, fmt.Errorf("equipment reports: %w", err)
	}
	defer rows.Close()
	var out []EquipmentReport
	for rows.Next() {
		var r EquipmentReport
		var camera string
		var at int64
		if err := rows.Scan(&r.ID, &r.UUID, &camera, &r.Problem, &r.Note, &r.OperatorID, &r.VehicleNumber, &at); err != nil {
			return nil, fmt.Errorf("equipment reports: %w", err)
		}
		r.Camera, r.At = alpr.CameraID(camera), time.Unix(0, at).UTC()
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("equipment reports: %w", err)
	}
	return out, nil
}
