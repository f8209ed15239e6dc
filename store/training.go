package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// PRAGMA application_id values: they mark a file as a patrol store or a classroom
// store, so that a training session can never wipe, or mix its made-up plates into,
// the real detections. Files written before the mark have 0 and count as patrol stores.
const (
	appPatrol   = 0x414C5052 // "ALPR"
	appTraining = 0x414C5054 // "ALPT"
)

// ErrNotTraining means a classroom-only operation was asked of a patrol store, or a
// patrol store was opened as a classroom store (or the reverse).
var ErrNotTraining = errors.New("not a classroom database")

// markMode stamps a new file with its mode, or checks an existing file's stamp.
func markMode(ctx context.Context, h *sql.DB, isNew, training bool) error {
	want := appPatrol
	if training {
		want = appTraining
	}
	if isNew {
		if _, err := h.ExecContext(ctx, fmt.Sprintf("PRAGMA application_id = %d", want)); err != nil {
			return fmt.Errorf("mark store mode: %w", classify(err))
		}
		return nil
	}
	var have int
	if err := h.QueryRowContext(ctx, "PRAGMA application_id").Scan(&have); err != nil {
		return fmt.Errorf("read store mode: %w", classify(err))
	}
	if have == 0 {
		have = appPatrol
	}
	switch {
	case have == want:
		return nil
	case have == appTraining:
		return fmt.Errorf("%w: this is a classroom database; open it in classroom mode", ErrNotTraining)
	case have == appPatrol:
		return fmt.Errorf("%w: this is the patrol database; classroom mode must use its own", ErrNotTraining)
	}
	return fmt.Errorf("%w: application id %#x belongs to another program", ErrNotDatabase, have)
}

// WipeTraining returns a classroom store to its first state: every record goes
// except the audit log, which is append-only even in class and records the wipe.
// It refuses a patrol store with ErrNotTraining.
func (db *DB) WipeTraining(ctx context.Context) error {
	if !db.training {
		return fmt.Errorf("wipe training data: %w", ErrNotTraining)
	}
	// Children first where no cascade covers them.
	tables := []string{"outbox", "evidence_holds", "dispositions", "hits", "detections", "hot_entries",
		"hot_lists", "equipment_reports", "shifts", "operators"}
	err := db.withTx(ctx, func(tx *sql.Tx) error {
		var counts []string
		for _, t := range tables {
			res, err := tx.ExecContext(ctx, `DELETE FROM `+t)
			if err != nil {
				return fmt.Errorf("clear %s: %w", t, err)
			}
			n, _ := res.RowsAffected()
			counts = append(counts, fmt.Sprintf("%s %d", t, n))
		}
		return db.audit(ctx, tx, actorSystem, ActionTrainingWipe, "removed "+strings.Join(counts, ", "))
	})
	if err != nil {
		return fmt.Errorf("wipe training data: %w", err)
	}
	return nil
}
