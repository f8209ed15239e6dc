package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"patrol-alpr/alpr"
	"patrol-alpr/wire"
)

// SaveHit stores a hit, queues it for sync and audits it. It sets h.ID, h.UUID when
// empty, and whichever of DetectionID and DetectionUUID is missing when the car holds
// the detection. A hit pushed from the server (its UUID already set) that is stored
// already changes nothing, so a repeated push is harmless. A non-nil h.Disposition is
// stored with it.
func (db *DB) SaveHit(ctx context.Context, h *alpr.Hit) error {
	if h.DetectionID == 0 && h.DetectionUUID == "" {
		return fmt.Errorf("save hit: %w: no detection", ErrInvalid)
	}
	if h.UUID == "" {
		h.UUID = wire.NewUUID()
	}
	if h.RaisedAt.IsZero() {
		h.RaisedAt = db.now().UTC()
	}
	match, err := json.Marshal(h.Match)
	if err != nil {
		return fmt.Errorf("save hit %s: %w", h.Match.Entry.Plate, err)
	}
	err = db.withTx(ctx, func(tx *sql.Tx) error {
		if err := resolveDetection(ctx, tx, h); err != nil {
			return err
		}
		var detID any
		if h.DetectionID != 0 {
			detID = h.DetectionID
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO hits (uuid, detection_id, detection_uuid, match, list, plate,
				raised_at, late, vehicle_number) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (uuid) DO NOTHING RETURNING id`,
			h.UUID, detID, h.DetectionUUID, string(match), h.Match.Entry.List, h.Match.Entry.Plate,
			h.RaisedAt.UnixNano(), h.Late, h.VehicleNumber).Scan(&h.ID)
		if errors.Is(err, sql.ErrNoRows) { // already stored
			return tx.QueryRowContext(ctx, `SELECT id FROM hits WHERE uuid = ?`, h.UUID).Scan(&h.ID)
		}
		if err != nil {
			return err
		}
		if err := db.enqueue(ctx, tx, KindHit, h); err != nil {
			return err
		}
		late := ""
		if h.Late {
			late = " (late)"
		}
		if err := db.audit(ctx, tx, actorSystem, ActionHitRaised, fmt.Sprintf("hit %d%s: read %s matched %s on %s, detection %s",
			h.ID, late, h.Match.ReadPlate, h.Match.Entry.Plate, h.Match.Entry.List, h.DetectionUUID)); err != nil {
			return err
		}
		if h.Disposition != nil {
			return db.dispose(ctx, tx, h.ID, h.UUID, *h.Disposition)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("save hit %s: %w", h.Match.Entry.Plate, err)
	}
	return nil
}

// resolveDetection fills the detection id or UUID the caller left out.
func resolveDetection(ctx context.Context, tx *sql.Tx, h *alpr.Hit) error {
	if h.DetectionID != 0 {
		err := tx.QueryRowContext(ctx, `SELECT uuid FROM detections WHERE id = ?`, h.DetectionID).Scan(&h.DetectionUUID)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("detection %d: %w", h.DetectionID, ErrNotFound)
		}
		return err
	}
	// A hit about another car's detection: keep the UUID, link locally if we have it.
	err := tx.QueryRowContext(ctx, `SELECT id FROM detections WHERE uuid = ?`, h.DetectionUUID).Scan(&h.DetectionID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	return err
}

// SetDisposition records the officer's decision on a hit (III.D, III.E), queues it
// for sync and audits it. Evidence=true keeps the detection past retention (IV.A.1).
func (db *DB) SetDisposition(ctx context.Context, hitID int64, d alpr.Disposition) error {
	err := db.withTx(ctx, func(tx *sql.Tx) error {
		var uuid string
		err := tx.QueryRowContext(ctx, `SELECT uuid FROM hits WHERE id = ?`, hitID).Scan(&uuid)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("hit %d: %w", hitID, ErrNotFound)
		}
		if err != nil {
			return err
		}
		return db.dispose(ctx, tx, hitID, uuid, d)
	})
	if err != nil {
		return fmt.Errorf("set disposition of hit %d: %w", hitID, err)
	}
	return nil
}

func (db *DB) dispose(ctx context.Context, tx *sql.Tx, hitID int64, hitUUID string, d alpr.Disposition) error {
	if err := validDisposition(d); err != nil {
		return err
	}
	if d.At.IsZero() {
		d.At = db.now().UTC()
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO dispositions (hit_id, outcome, reason, confirmed_by, note,
			report_number, evidence, operator_id, vehicle_number, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		hitID, string(d.Outcome), d.Reason, d.ConfirmedBy, d.Note, d.ReportNumber, d.Evidence, d.OperatorID,
		d.VehicleNumber, d.At.UnixNano()); err != nil {
		return err
	}
	if err := db.enqueue(ctx, tx, KindDisposition, struct {
		HitUUID string `json:"hit_uuid"`
		alpr.Disposition
	}{hitUUID, d}); err != nil {
		return err
	}
	return db.audit(ctx, tx, d.OperatorID, ActionDisposition, fmt.Sprintf("hit %d %s%s, report %q, evidence %t",
		hitID, d.Outcome, prefixed(": ", d.Reason), d.ReportNumber, d.Evidence))
}

func prefixed(p, s string) string {
	if s == "" {
		return ""
	}
	return p + s
}

func validDisposition(d alpr.Disposition) error {
	switch {
	case d.Outcome != alpr.Confirmed && d.Outcome != alpr.Rejected:
		return fmt.Errorf("%w: outcome %q is neither confirmed nor rejected", ErrInvalid, d.Outcome)
	case d.Outcome == alpr.Rejected && strings.TrimSpace(d.Reason) == "":
		return fmt.Errorf("%w: a rejection needs a reason", ErrInvalid)
	case strings.TrimSpace(d.OperatorID) == "":
		return fmt.Errorf("%w: disposition without an operator", ErrInvalid)
	}
	return nil
}

// Hits returns the hits raised at or after since, newest first, each with its
// current (latest) disposition.
func (db *DB) Hits(ctx context.Context, since time.Time) ([]alpr.Hit, error) {
	hs, err := db.hits(ctx, `h.raised_at >= ?`, since.UnixNano())
	if err != nil {
		return nil, fmt.Errorf("hits since %s: %w", since.Format(time.RFC3339), err)
	}
	return hs, nil
}

// HitsOfDetections returns the hits raised on each of the detections ids, newest first,
// each with its latest disposition: what a search result shows beside its plate.
func (db *DB) HitsOfDetections(ctx context.Context, ids []int64) (map[int64][]alpr.Hit, error) {
	out := map[int64][]alpr.Hit{}
	const batch = 500 // well under SQLite's limit on bound parameters
	for len(ids) > 0 {
		n := min(len(ids), batch)
		args := make([]any, n)
		for i, id := range ids[:n] {
			args[i] = id
		}
		hs, err := db.hits(ctx, `h.detection_id IN (?`+strings.Repeat(",?", n-1)+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("hits of %d detections: %w", len(ids), err)
		}
		for _, h := range hs {
			out[h.DetectionID] = append(out[h.DetectionID], h)
		}
		ids = ids[n:]
	}
	return out, nil
}

// hits reads hits with their latest disposition; where filters on h.
func (db *DB) hits(ctx context.Context, where string, args ...any) ([]alpr.Hit, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT h.id, h.uuid, h.detection_id, h.detection_uuid, h.match,
			h.raised_at, h.late, h.vehicle_number,
			d.outcome, d.reason, d.confirmed_by, d.note, d.report_number, d.evidence, d.operator_id,
			d.vehicle_number, d.at
		FROM hits h LEFT JOIN dispositions d ON d.id = (SELECT max(id) FROM dispositions WHERE hit_id = h.id)
		WHERE `+where+` ORDER BY h.raised_at DESC, h.id DESC`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []alpr.Hit
	for rows.Next() {
		var h alpr.Hit
		var detID sql.NullInt64
		var match string
		var raised int64
		var outcome, reason, by, note, report, op, vehicle sql.NullString
		var evidence sql.NullBool
		var at sql.NullInt64
		if err := rows.Scan(&h.ID, &h.UUID, &detID, &h.DetectionUUID, &match, &raised, &h.Late, &h.VehicleNumber,
			&outcome, &reason, &by, &note, &report, &evidence, &op, &vehicle, &at); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(match), &h.Match); err != nil {
			return nil, fmt.Errorf("hit %d match: %w", h.ID, err)
		}
		h.DetectionID, h.RaisedAt = detID.Int64, time.Unix(0, raised).UTC()
		if outcome.Valid {
			h.Disposition = &alpr.Disposition{Outcome: alpr.Outcome(outcome.String), Reason: reason.String,
				ConfirmedBy: by.String, Note: note.String, ReportNumber: report.String, Evidence: evidence.Bool,
				OperatorID: op.String, VehicleNumber: vehicle.String, At: fromNanos(at)}
		}
		out = append(out, h)
	}
	return out, rows.Err()
}
