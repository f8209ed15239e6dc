package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

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
