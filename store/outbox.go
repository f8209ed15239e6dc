package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Kinds of outbox item: what the payload holds.
const (
	KindDetection    = "detection"
	KindHit          = "hit"
	KindDisposition  = "disposition"
	KindHotPlate     = "hot_plate"
	KindEvidenceHold = "evidence_hold"
	KindEquipment    = "equipment_report"
)

// OutboxItem is one change waiting to be sent to the agency server.
type OutboxItem struct {
	Seq       int64     // monotonic, never reused: the order to send in
	Key       string    // UUID; the server applies each key once (idempotency key)
	Kind      string    // one of the Kind constants
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
	if _, err := tx.ExecContext(ctx,
		`INSERT INTO outbox (key, kind, payload, created_at) VALUES (?, ?, ?, ?)`,
		newUUID(), kind, string(payload), db.now().UnixNano()); err != nil {
		return fmt.Errorf("queue %s for sync: %w", kind, err)
	}
	return nil
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
			 RETURNING seq, key, kind, payload, created_at, attempts`, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var it OutboxItem
			var payload string
			var created int64
			if err := rows.Scan(&it.Seq, &it.Key, &it.Kind, &payload, &created, &it.Attempts); err != nil {
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
