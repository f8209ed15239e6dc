package postgres

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"patrol-alpr/wire"
)

// Problems flagged in a car's audit chain.
const (
	FlagGap     = "gap"         // entries between the last one received and this one never arrived
	FlagLink    = "broken link" // this entry does not chain to the one before it
	FlagChanged = "changed"     // this entry's hash does not cover its contents
)

// searchAction is the car's audit action for a search of detections (store.ActionSearch).
const searchAction = "search"

// continueChain appends a car's audit entries (in the car's order) after the chain the server
// holds for the vehicle, flagging every gap, broken link or changed entry: they are stored and
// shown to the administrator, never silently accepted or dropped.
func continueChain(ctx context.Context, tx pgx.Tx, q *pgx.Batch, agency, vehicle string, recs []wire.AuditRecord, now time.Time) error {
	var headSeq int64
	headHash := wire.Genesis
	err := tx.QueryRow(ctx, `SELECT seq, hash FROM audit_heads WHERE agency_id = $1 AND vehicle = $2 FOR UPDATE`,
		agency, vehicle).Scan(&headSeq, &headHash)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("read audit head of %s: %w", vehicle, err)
	}
	for _, r := range recs {
		prev, perr := hex.DecodeString(r.PrevHash)
		hash, herr := hex.DecodeString(r.Hash)
		var problems []string
		switch {
		case perr != nil || herr != nil:
			problems = append(problems, FlagChanged)
		case !bytes.Equal(hash, wire.ChainHash(prev, r.Seq, r.At, r.Actor, r.Action, r.Detail)):
			problems = append(problems, FlagChanged)
		}
		switch {
		case r.Seq > headSeq+1:
			problems = append(problems, FlagGap)
		case r.Seq <= headSeq:
			// An entry older than the head under a new key: the car's log was rewritten.
			problems = append(problems, FlagLink)
		case !bytes.Equal(prev, headHash):
			problems = append(problems, FlagLink)
		}
		q.Queue(`INSERT INTO audit_entries (agency_id, vehicle, seq, at, at_ns, actor, action, detail, prev_hash, hash, received_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING`,
			agency, vehicle, r.Seq, r.At, r.At.UnixNano(), r.Actor, r.Action, r.Detail, prev, hash, now)
		for _, p := range problems {
			q.Queue(`INSERT INTO audit_flags (agency_id, vehicle, seq, problem, flagged_at) VALUES ($1, $2, $3, $4, $5)
				ON CONFLICT DO NOTHING`, agency, vehicle, r.Seq, p, now)
		}
		if r.Action == searchAction {
			queueSearch(q, agency, vehicle, r)
		}
		if r.Seq > headSeq {
			headSeq, headHash = r.Seq, hash
		}
	}
	q.Queue(`INSERT INTO audit_heads (agency_id, vehicle, seq, hash) VALUES ($1, $2, $3, $4)
		ON CONFLICT (agency_id, vehicle) DO UPDATE SET seq = excluded.seq, hash = excluded.hash`,
		agency, vehicle, headSeq, headHash)
	return nil
}

// queueSearch files a car's audited search for the query audit (III.B.1.d). The detail is
// the car's JSON record of the search; one the server cannot read is kept with its text.
func queueSearch(q *pgx.Batch, agency, vehicle string, r wire.AuditRecord) {
	var s struct {
		OperatorID string `json:"operator_id"`
		Purpose    string `json:"purpose"`
		CaseNumber string `json:"case_number"`
		Results    int    `json:"results"`
	}
	query := []byte(r.Detail)
	if json.Unmarshal(query, &s) != nil {
		query, _ = json.Marshal(map[string]string{"text": r.Detail})
	}
	if s.OperatorID == "" {
		s.OperatorID = r.Actor
	}
	q.Queue(`INSERT INTO searches (agency_id, id, vehicle, operator_id, at, purpose, case_number, query, results)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
		agency, vehicle+":"+strconv.FormatInt(r.Seq, 10), vehicle, s.OperatorID, r.At, s.Purpose, s.CaseNumber, query, s.Results)
}

// AuditFlag is one problem found in a car's audit chain.
type AuditFlag struct {
	Vehicle string
	Seq     int64
	Problem string
	At      time.Time
}

// AuditFlags lists the problems found in the agency's cars' chains, oldest first.
func (db *DB) AuditFlags(ctx context.Context, agency string) ([]AuditFlag, error) {
	rows, err := db.pool.Query(ctx, `SELECT vehicle, seq, problem, flagged_at FROM audit_flags
		WHERE agency_id = $1 ORDER BY flagged_at, vehicle, seq`, agency)
	if err != nil {
		return nil, fmt.Errorf("list audit flags: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (AuditFlag, error) {
		var f AuditFlag
		err := r.Scan(&f.Vehicle, &f.Seq, &f.Problem, &f.At)
		return f, err
	})
	if err != nil {
		return nil, fmt.Errorf("list audit flags: %w", err)
	}
	return out, nil
}

// ServerAudit records an action taken at the server (a certificate issued or revoked, a
// hold placed or released, a list imported, a purge).
func (db *DB) ServerAudit(ctx context.Context, agency, actor, action, detail string) error {
	if _, err := db.pool.Exec(ctx, `INSERT INTO server_audit (agency_id, at, actor, action, detail)
		VALUES ($1, $2, $3, $4, $5)`, agency, db.now(), actor, action, detail); err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}
