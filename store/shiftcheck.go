package store

import (
	"context"
	"fmt"
)

// ShiftDetectionUUIDs returns the UUIDs of the detections of one shift, for the operator's
// check that the server holds them (III.C.7).
func (db *DB) ShiftDetectionUUIDs(ctx context.Context, shiftID int64) ([]string, error) {
	return db.strings(ctx, `SELECT uuid FROM detections WHERE shift_id = ? ORDER BY seen_at`, shiftID)
}

// QueuedDetectionUUIDs returns the UUIDs of the detections still waiting in the outbox.
func (db *DB) QueuedDetectionUUIDs(ctx context.Context) ([]string, error) {
	return db.strings(ctx, `SELECT json_extract(payload, '$.uuid') FROM outbox
		WHERE acked_at IS NULL AND kind = ?`, KindDetection)
}

func (db *DB) strings(ctx context.Context, q string, args ...any) ([]string, error) {
	rows, err := db.sql.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("read detection ids: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, fmt.Errorf("read detection ids: %w", err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read detection ids: %w", err)
	}
	return out, nil
}
