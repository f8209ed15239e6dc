package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"patrol-alpr/wire"
)

// Kinds of outbox item: what the payload holds (the protocol's words, wire.Kind*).
const (
	KindDetection    = wire.KindDetection
	KindHit          = wire.KindHit
	KindDisposition  = wire.KindDisposition
	KindHotPlate     = wire.KindHotPlate
	KindEvidenceHold = wire.KindEvidenceHold
	KindEquipment    = wire.KindEquipment
	KindAudit        = wire.KindAudit
)

// OutboxItem is one change waiting to be sent to the agency server.
type OutboxItem struct {
	Seq       int64     // monotonic, never reused: the order to send in
	Key       string    // UUID; the server applies each key once (idempotency key)
	Kind      string    // one of the Kind constants
	Operator  string    // who made the record: the signed-in operator, or the payload's
	Payload   []byte    // JSON of the record
	CreatedAt time.Time //
	Attempts  int       // times this item was handed out by PendingOutbox
}

// enqueue adds an item inside tx so it commits with the change it carries: the
// server never misses a change the car kept, and never hears of one it lost.
func (db *DB) enqueue(ctx context.Context, tx *sql.Tx, kind string, v any) error {
	payload, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s for outbox: %w", kind, err)
	}
	operator, err := recordOperator(ctx, tx, payload)
	if err != nil {
		return fmt.Errorf("queue %s for sync: %w", kind, err)
	}
	if _, err := tx.ExecContext(ctx,
		`INSERT INTO outbox (key, kind, payload, created_at, operator) VALUES (?, ?, ?, ?, ?)`,
		wire.NewUUID(), kind, string(payload), db.now().UnixNano(), operator); err != nil {
		return fmt.Errorf("queue %s for sync: %w", kind, err)
	}
	return nil
}

// recordOperator names who made a record: the operator the payload names (a disposition's,
// a hold's, an audit entry's actor), else the operator of the open shift.
func recordOperator(ctx context.Context, tx *sql.Tx, payload []byte) (string, error) {
	var named struct {
		OperatorID string `json:"operator_id"`
		EnteredBy  string `json:"entered_by"`
		Actor      string `json:"actor"`
	}
	_ = json.Unmarshal(payload, &named) // our own JSON object: the fields are there or not
	for _, id := range []string{named.OperatorID, named.EnteredBy, named.Actor} {
		if id != "" {
			return id, nil
		}
	}
	var id string
	err := tx.QueryRowContext(ctx, `SELECT operator_id FROM shifts WHERE ended_at IS NULL ORDER BY id DESC LIMIT 1`).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("find the signed-in operator: %w", err)
	}
	return id, nil
}

// PendingOutbox returns up to limit unacknowledged items, oldest first. Each call
// counts as one attempt for the items it returns, so a sync loop can back off.
func (db *DB) PendingOutbox(ctx context.Context, limit int) ([]OutboxItem, error) {
	if limit <= 0 {
		limit = 100
	}
	var out []OutboxItem
	err := db.withTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx,
			`UPDATE outbox SET attempts = attempts + 1
			 WHERE seq IN (SELECT seq FROM outbox WHERE acked_at IS NULL ORDER BY seq LIMIT ?)
			 RETURNING seq, key, kind, payload, created_at, attempts, operator`, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var it OutboxItem
			var payload string
			var created int64
			if err := rows.Scan(&it.Seq, &it.Key, &it.Kind, &payload, &created, &it.Attempts, &it.Operator); err != nil {
				return err
			}
			it.Payload, it.CreatedAt = []byte(payload), time.Unix(0, created).UTC()
			out = append(out, it)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	// RETURNING gives no order guarantee.
	slices.SortFunc(out, func(a, b OutboxItem) int { return cmp.Compare(a.Seq, b.Seq) })
	return out, nil
}

// AckOutbox marks items as delivered; acknowledging twice is harmless.
func (db *DB) AckOutbox(ctx context.Context, seqs ...int64) error {
	if len(seqs) == 0 {
		return nil
	}
	args := []any{db.now().UnixNano()}
	for _, s := range seqs {
		args = append(args, s)
	}
	q := `UPDATE outbox SET acked_at = ? WHERE acked_at IS NULL AND seq IN (?` + strings.Repeat(", ?", len(seqs)-1) + `)`
	err := db.withTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, q, args...)
		return err
	})
	if err != nil {
		return fmt.Errorf("acknowledge outbox: %w", err)
	}
	return nil
}

// OutboxLen counts the items not yet acknowledged, for the sync status light.
func (db *DB) OutboxLen(ctx context.Context) (int64, error) {
	var n int64
	if err := db.sql.QueryRowContext(ctx, `SELECT count(*) FROM outbox WHERE acked_at IS NULL`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count outbox: %w", err)
	}
	return n, nil
}

// OldestPending is when the oldest unacknowledged item was queued (zero when none), for the
// server's view of how far behind the car is.
func (db *DB) OldestPending(ctx context.Context) (time.Time, error) {
	var at sql.NullInt64
	if err := db.sql.QueryRowContext(ctx, `SELECT min(created_at) FROM outbox WHERE acked_at IS NULL`).Scan(&at); err != nil {
		return time.Time{}, fmt.Errorf("read oldest outbox item: %w", err)
	}
	if !at.Valid {
		return time.Time{}, nil
	}
	return time.Unix(0, at.Int64).UTC(), nil
}

// DetectionImages returns the plate crop and scene of a stored detection by its UUID, for
// the sync to carry; a detection without images gives two nils.
func (db *DB) DetectionImages(ctx context.Context, uuid string) (plate, scene []byte, err error) {
	err = db.sql.QueryRowContext(ctx, `SELECT i.plate_jpeg, i.scene_jpeg FROM detections d
		JOIN detection_images i ON i.detection_id = d.id WHERE d.uuid = ?`, uuid).Scan(&plate, &scene)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("read images of detection %s: %w", uuid, err)
	}
	return plate, scene, nil
}
