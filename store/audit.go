package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"patrol-alpr/wire"
)

// AuditEntry is one line of the audit log.
type AuditEntry struct {
	Seq    int64     `json:"seq"`
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"` // operator id, or "system"
	Action string    `json:"action"`
	Detail string    `json:"detail"`
	Hash   string    `json:"hash"` // hex sha256 chaining this entry to the previous one
}

// Actions written to the audit log by the store itself.
const (
	ActionLogin        = "login"
	ActionLoginFailed  = "login.failed"
	ActionLockedOut    = "login.locked"
	ActionOperatorPut  = "operator.put"
	ActionShiftStart   = "shift.start"
	ActionShiftEnd     = "shift.end"
	ActionSearch       = "search"
	ActionHotListLoad  = "hotlist.replace"
	ActionHotPlateAdd  = "hotplate.add"
	ActionHitRaised    = "hit.raise"
	ActionDisposition  = "hit.disposition"
	ActionEvidenceHold = "evidence.hold"
	ActionExport       = "evidence.export"
	ActionPurge        = "retention.purge"
	ActionEquipment    = "equipment.report"
	ActionTrainingWipe = "training.wipe"
)

// actorSystem is the actor of entries the program writes on its own behalf.
const actorSystem = "system"

// genesis is the previous hash of the first entry.
var genesis = make([]byte, sha256.Size)

// Audit appends one entry to the audit log.
func (db *DB) Audit(ctx context.Context, actor, action, detail string) error {
	err := db.withTx(ctx, func(tx *sql.Tx) error { return db.audit(ctx, tx, actor, action, detail) })
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

// audit appends an entry inside tx, so the entry commits with the change it records.
// Writers hold the write lock from BEGIN (immediate), so reading the head and
// appending after it cannot race.
func (db *DB) audit(ctx context.Context, tx *sql.Tx, actor, action, detail string) error {
	seq, prev := int64(0), genesis
	err := tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE one = 1`).Scan(&seq, &prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("read audit head: %w", err)
	}
	e := AuditEntry{Seq: seq + 1, At: db.now().UTC(), Actor: actor, Action: action, Detail: detail}
	h := chainHash(prev, e)
	if _, err := tx.ExecContext(ctx,
		`INSERT INTO audit_log (seq, at, actor, action, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		e.Seq, e.At.UnixNano(), e.Actor, e.Action, e.Detail, prev, h); err != nil {
		return fmt.Errorf("append audit entry: %w", err)
	}
	if _, err := tx.ExecContext(ctx,
		`INSERT INTO audit_head (one, seq, hash) VALUES (1, ?, ?)
		 ON CONFLICT (one) DO UPDATE SET seq = excluded.seq, hash = excluded.hash`, e.Seq, h); err != nil {
		return fmt.Errorf("advance audit head: %w", err)
	}
	// The agency server continues each car's chain and flags a gap or a broken link.
	return db.enqueue(ctx, tx, KindAudit, wire.AuditRecord{Seq: e.Seq, At: e.At, Actor: e.Actor, Action: e.Action,
		Detail: e.Detail, PrevHash: hex.EncodeToString(prev), Hash: hex.EncodeToString(h)})
}

// chainHash links e to the entry before it, as the agency server checks it (wire.ChainHash).
func chainHash(prev []byte, e AuditEntry) []byte {
	return wire.ChainHash(prev, e.Seq, e.At, e.Actor, e.Action, e.Detail)
}

// VerifyAudit walks the chain from the first entry. It returns nil when every entry
// is intact, or an *AuditBreak naming the first entry that was changed or removed.
func (db *DB) VerifyAudit(ctx context.Context) error {
	rows, err := db.sql.QueryContext(ctx,
		`SELECT seq, at, actor, action, detail, prev_hash, hash FROM audit_log ORDER BY seq`)
	if err != nil {
		return fmt.Errorf("verify audit: %w", err)
	}
	defer rows.Close()
	want, prev := int64(1), genesis
	for rows.Next() {
		var e AuditEntry
		var at int64
		var prevHash, hash []byte
		if err := rows.Scan(&e.Seq, &at, &e.Actor, &e.Action, &e.Detail, &prevHash, &hash); err != nil {
			return fmt.Errorf("verify audit: %w", err)
		}
		e.At = time.Unix(0, at)
		switch {
		case e.Seq != want:
			return &AuditBreak{Seq: want, Reason: fmt.Sprintf("entry %d is missing (next entry is %d)", want, e.Seq)}
		case !bytes.Equal(prevHash, prev):
			return &AuditBreak{Seq: e.Seq, Reason: "does not chain to the previous entry"}
		case !bytes.Equal(hash, chainHash(prev, e)):
			return &AuditBreak{Seq: e.Seq, Reason: "contents changed since it was written"}
		}
		want, prev = e.Seq+1, hash
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("verify audit: %w", err)
	}
	var headSeq int64
	var headHash []byte
	err = db.sql.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE one = 1`).Scan(&headSeq, &headHash)
	if errors.Is(err, sql.ErrNoRows) {
		headSeq, headHash = 0, genesis
	} else if err != nil {
		return fmt.Errorf("verify audit head: %w", err)
	}
	if headSeq != want-1 {
		return &AuditBreak{Seq: want, Reason: fmt.Sprintf("entries %d to %d are missing", want, headSeq)}
	}
	if !bytes.Equal(headHash, prev) {
		return &AuditBreak{Seq: headSeq, Reason: "last entry does not match the recorded head"}
	}
	return nil
}

// AuditLog returns the entries written at or after since, oldest first.
func (db *DB) AuditLog(ctx context.Context, since time.Time) ([]AuditEntry, error) {
	rows, err := db.sql.QueryContext(ctx,
		`SELECT seq, at, actor, action, detail, hash FROM audit_log WHERE at >= ? ORDER BY seq`, since.UnixNano())
	if err != nil {
		return nil, fmt.Errorf("read audit log: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var at int64
		var hash []byte
		if err := rows.Scan(&e.Seq, &at, &e.Actor, &e.Action, &e.Detail, &hash); err != nil {
			return nil, fmt.Errorf("read audit log: %w", err)
		}
		e.At, e.Hash = time.Unix(0, at).UTC(), hex.EncodeToString(hash)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read audit log: %w", err)
	}
	return out, nil
}
