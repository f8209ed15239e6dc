package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"patrol-alpr/alpr"
)

// StartShift records that an operator has started a tour in a vehicle.
func (db *DB) StartShift(ctx context.Context, operatorID, vehicleNumber string) (alpr.Shift, error) {
	if strings.TrimSpace(vehicleNumber) == "" {
		return alpr.Shift{}, fmt.Errorf("start shift for %s: %w: no vehicle number", operatorID, ErrInvalid)
	}
	s := alpr.Shift{OperatorID: operatorID, VehicleNumber: vehicleNumber, StartedAt: db.now().UTC()}
	err := db.withTx(ctx, func(tx *sql.Tx) error {
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM operators WHERE id = ?`, operatorID).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("operator %s: %w", operatorID, ErrNotFound)
		}
		if err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO shifts (operator_id, vehicle_number, started_at) VALUES (?, ?, ?) RETURNING id`,
			operatorID, vehicleNumber, s.StartedAt.UnixNano()).Scan(&s.ID); err != nil {
			return err
		}
		return db.audit(ctx, tx, operatorID, ActionShiftStart, fmt.Sprintf("shift %d in vehicle %s", s.ID, vehicleNumber))
	})
	if err != nil {
		return alpr.Shift{}, fmt.Errorf("start shift for %s: %w", operatorID, err)
	}
	return s, nil
}

// EndShift closes an open shift. ErrNotFound when there is no open shift with that id.
func (db *DB) EndShift(ctx context.Context, shiftID int64) error {
	err := db.withTx(ctx, func(tx *sql.Tx) error {
		var operatorID string
		err := tx.QueryRowContext(ctx, `UPDATE shifts SET ended_at = ? WHERE id = ? AND ended_at IS NULL RETURNING operator_id`,
			db.now().UnixNano(), shiftID).Scan(&operatorID)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("open shift %d: %w", shiftID, ErrNotFound)
		}
		if err != nil {
			return err
		}
		return db.audit(ctx, tx, operatorID, ActionShiftEnd, fmt.Sprintf("shift %d", shiftID))
	})
	if err != nil {
		return fmt.Errorf("end shift %d: %w", shiftID, err)
	}
	return nil
}

// ActionShiftClosedAtStart is audited for a shift that was still open when the program
// started again: the car lost power or the program was killed before the officer signed out.
const ActionShiftClosedAtStart = "shift.close-at-start"

// CloseOpenShifts closes every shift left open by a crash, so no shift stays open for ever
// and the next sign-in starts its own. Each ends at its last detection (the last moment the
// car is known to have been working), or where it started when it read nothing; the audit
// log says it was closed at the next start, not by a sign-out. It returns the shifts closed.
func (db *DB) CloseOpenShifts(ctx context.Context) ([]alpr.Shift, error) {
	var closed []alpr.Shift
	err := db.withTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT s.id, s.operator_id, s.vehicle_number, s.started_at,
				max(s.started_at, coalesce((SELECT max(seen_at) FROM detections WHERE shift_id = s.id), 0))
			FROM shifts s WHERE s.ended_at IS NULL ORDER BY s.id`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var s alpr.Shift
			var started, ended int64
			if err := rows.Scan(&s.ID, &s.OperatorID, &s.VehicleNumber, &started, &ended); err != nil {
				rows.Close()
				return err
			}
			s.StartedAt, s.EndedAt = time.Unix(0, started).UTC(), time.Unix(0, ended).UTC()
			closed = append(closed, s)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, s := range closed {
			if _, err := tx.ExecContext(ctx, `UPDATE shifts SET ended_at = ? WHERE id = ?`, s.EndedAt.UnixNano(), s.ID); err != nil {
				return err
			}
			if err := db.audit(ctx, tx, actorSystem, ActionShiftClosedAtStart, fmt.Sprintf(
				"shift %d of %s in vehicle %s was open at start (no sign-out); closed at its last detection, %s",
				s.ID, s.OperatorID, s.VehicleNumber, s.EndedAt.Format(time.RFC3339))); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("close open shifts: %w", err)
	}
	return closed, nil
}
