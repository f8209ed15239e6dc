package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// PurgeReport counts what one purge removed and kept.
type PurgeReport struct {
	Cutoff     time.Time `json:"cutoff"`      // detections seen before this were due
	Detections int64     `json:"detections"`  // removed
	Images     int64     `json:"images"`      // image rows removed with them
	Hits       int64     `json:"hits"`        // hits removed with their detections
	OutboxRows int64     `json:"outbox_rows"` // sync items older than the cutoff removed
	Kept       int64     `json:"kept"`        // due but kept: under hold or marked evidence
}

// HoldEvidence keeps a detection past retention for a case (I.E, IV.A.1).
func (db *DB) HoldEvidence(ctx context.Context, detectionID int64, caseNumber, operatorID string) error {
	if strings.TrimSpace(caseNumber) == "" || strings.TrimSpace(operatorID) == "" {
		return fmt.Errorf("hold detection %d: %w: a hold needs a case number and an operator", detectionID, ErrInvalid)
	}
	err := db.withTx(ctx, func(tx *sql.Tx) error {
		var uuid string
		err := tx.QueryRowContext(ctx, `SELECT uuid FROM detections WHERE id = ?`, detectionID).Scan(&uuid)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("detection %d: %w", detectionID, ErrNotFound)
		}
		if err != nil {
			return err
		}
		now := db.now().UTC()
		if _, err := tx.ExecContext(ctx, `INSERT INTO evidence_holds (detection_id, case_number, operator_id, held_at)
			VALUES (?, ?, ?, ?)`, detectionID, caseNumber, operatorID, now.UnixNano()); err != nil {
			return err
		}
		if err := db.enqueue(ctx, tx, KindEvidenceHold, map[string]any{
			"detection_uuid": uuid, "case_number": caseNumber, "operator_id": operatorID, "held_at": now,
		}); err != nil {
			return err
		}
		return db.audit(ctx, tx, operatorID, ActionEvidenceHold, fmt.Sprintf("detection %d held for case %s", detectionID, caseNumber))
	})
	if err != nil {
		return fmt.Errorf("hold detection %d: %w", detectionID, err)
	}
	return nil
}

// kept is true for a detection that must outlive retention: under an active hold,
// or linked to a hit whose current disposition marks it as evidence.
const kept = `(EXISTS (SELECT 1 FROM evidence_holds e WHERE e.detection_id = d.id AND e.released_at IS NULL)
	OR EXISTS (SELECT 1 FROM hits h JOIN dispositions p ON p.id = (SELECT max(id) FROM dispositions WHERE hit_id = h.id)
		WHERE h.detection_id = d.id AND p.evidence = 1))`

// Purge removes the detections older than the retention period, with their images
// and hits, unless kept as evidence, and the sync items older than the period. The
// counts go to the audit log in the same transaction.
func (db *DB) Purge(ctx context.Context) (PurgeReport, error) {
	r := PurgeReport{Cutoff: db.now().Add(-db.retention).UTC()}
	cut := r.Cutoff.UnixNano()
	err := db.withTx(ctx, func(tx *sql.Tx) error {
		// The ids go to a temporary table so the counts and the delete agree exactly.
		if _, err := tx.ExecContext(ctx, `CREATE TEMP TABLE IF NOT EXISTS purge_ids (id INTEGER PRIMARY KEY)`); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM temp.purge_ids`); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO temp.purge_ids SELECT d.id FROM detections d
			WHERE d.seen_at < ? AND NOT `+kept, cut); err != nil {
			return err
		}
		counts := []struct {
			dst  *int64
			q    string
			args []any
		}{
			{&r.Detections, `SELECT count(*) FROM temp.purge_ids`, nil},
			{&r.Images, `SELECT count(*) FROM detection_images WHERE detection_id IN temp.purge_ids`, nil},
			{&r.Hits, `SELECT count(*) FROM hits WHERE detection_id IN temp.purge_ids`, nil},
			{&r.Kept, `SELECT count(*) FROM detections d WHERE d.seen_at < ? AND ` + kept, []any{cut}},
		}
		for _, c := range counts {
			if err := tx.QueryRowContext(ctx, c.q, c.args...).Scan(c.dst); err != nil {
				return err
			}
		}
		// Images, hits, dispositions, released holds and the trigram rows follow by
		// ON DELETE CASCADE and triggers.
		if _, err := tx.ExecContext(ctx, `DELETE FROM detections WHERE id IN temp.purge_ids`); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE created_at < ?`, cut)
		if err != nil {
			return err
		}
		if r.OutboxRows, err = res.RowsAffected(); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM temp.purge_ids`); err != nil {
			return err
		}
		return db.audit(ctx, tx, actorSystem, ActionPurge, fmt.Sprintf(
			"retention %v, cutoff %s: removed %d detections, %d images, %d hits, %d sync items; kept %d as evidence",
			db.retention, r.Cutoff.Format(time.RFC3339), r.Detections, r.Images, r.Hits, r.OutboxRows, r.Kept))
	})
	if err != nil {
		return PurgeReport{}, fmt.Errorf("purge detections before %s: %w", r.Cutoff.Format(time.RFC3339), err)
	}
	return r, nil
}

// PurgeEvery runs Purge now and then every interval until ctx is cancelled, so the
// retention limit holds on a car that is never restarted. The caller owns the
// goroutine it runs in. A failed purge is reported through report and retried at
// the next tick; it returns ctx.Err() when cancelled.
func (db *DB) PurgeEvery(ctx context.Context, interval time.Duration, report func(PurgeReport, error)) error {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		r, err := db.Purge(ctx)
		if report != nil {
			report(r, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}
