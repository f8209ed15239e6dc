package postgres

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"patrol-alpr/wire"
)

// ChainCheck is the result of verifying one vehicle's audit hash chain as the server holds it.
type ChainCheck struct {
	Vehicle string
	LastSeq int64 // the newest entry the server holds
	// Verified is the last entry that chains, link by link, to the genesis.
	Verified int64
	// Broken is zero when every entry chains to the one before and its hash covers it;
	// otherwise the first entry that does not, and why.
	BrokenSeq int64
	Problem   string
	BrokenAt  time.Time
}

// OK says whether the chain verified.
func (c ChainCheck) OK() bool { return c.Problem == "" }

// VerifyChains verifies every vehicle's audit chain with wire.ChainHash and reports for each
// the first broken link: a missing entry, a prev_hash that is not the previous entry's hash,
// or a hash that does not cover the entry's contents. Entries verified before are not read
// again (audit_chain_checks keeps how far each chain verified); fromStart verifies every
// chain from its first entry again, which also catches an old entry changed in the database.
func (db *DB) VerifyChains(ctx context.Context, agency string, fromStart bool) ([]ChainCheck, error) {
	if fromStart {
		if _, err := db.pool.Exec(ctx, `DELETE FROM audit_chain_checks WHERE agency_id = $1`, agency); err != nil {
			return nil, fmt.Errorf("verify audit chains: %w", err)
		}
	}
	rows, err := db.pool.Query(ctx, `SELECT h.vehicle, h.seq, coalesce(c.verified_seq, 0), coalesce(c.verified_hash, $2)
		FROM audit_heads h LEFT JOIN audit_chain_checks c ON c.agency_id = h.agency_id AND c.vehicle = h.vehicle
		WHERE h.agency_id = $1 ORDER BY h.vehicle`, agency, wire.Genesis)
	if err != nil {
		return nil, fmt.Errorf("verify audit chains: %w", err)
	}
	type start struct {
		ChainCheck
		hash []byte
	}
	starts, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (start, error) {
		var s start
		err := r.Scan(&s.Vehicle, &s.LastSeq, &s.Verified, &s.hash)
		return s, err
	})
	if err != nil {
		return nil, fmt.Errorf("verify audit chains: %w", err)
	}
	out := make([]ChainCheck, 0, len(starts))
	for _, s := range starts {
		c, err := db.verifyChain(ctx, agency, s.ChainCheck, s.hash)
		if err != nil {
			return nil, fmt.Errorf("verify audit chain of %s: %w", s.Vehicle, err)
		}
		out = append(out, c)
	}
	return out, nil
}

// errBroken stops reading a chain at its first broken link.
var errBroken = errors.New("broken")

// verifyChain reads the vehicle's entries after the verified one, in order, until the first
// broken link, and records how far the chain now verifies.
func (db *DB) verifyChain(ctx context.Context, agency string, c ChainCheck, prevHash []byte) (ChainCheck, error) {
	from := c.Verified
	rows, err := db.pool.Query(ctx, `SELECT seq, at_ns, actor, action, detail, prev_hash, hash FROM audit_entries
		WHERE agency_id = $1 AND vehicle = $2 AND seq > $3 ORDER BY seq`, agency, c.Vehicle, c.Verified)
	if err != nil {
		return c, err
	}
	var seq, atNS int64
	var actor, action, detail string
	var prev, hash []byte
	_, err = pgx.ForEachRow(rows, []any{&seq, &atNS, &actor, &action, &detail, &prev, &hash}, func() error {
		at := time.Unix(0, atNS).UTC()
		switch {
		case seq != c.Verified+1:
			c.Problem = fmt.Sprintf("entries %d to %d are missing", c.Verified+1, seq-1)
		case !bytes.Equal(prev, prevHash):
			c.Problem = "does not chain to the entry before it"
		case !bytes.Equal(hash, wire.ChainHash(prev, seq, at, actor, action, detail)):
			c.Problem = "its hash does not cover its contents (changed)"
		default:
			c.Verified, prevHash = seq, hash
			return nil
		}
		c.BrokenSeq, c.BrokenAt = seq, at
		return errBroken
	})
	if err != nil && !errors.Is(err, errBroken) {
		return c, err
	}
	if c.OK() && c.Verified < c.LastSeq {
		c.BrokenSeq, c.Problem = c.Verified+1, fmt.Sprintf("entries %d to %d are missing", c.Verified+1, c.LastSeq)
	}
	if c.Verified > from {
		if _, err := db.pool.Exec(ctx, `INSERT INTO audit_chain_checks (agency_id, vehicle, verified_seq, verified_hash, checked_at)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT (agency_id, vehicle) DO UPDATE
			SET verified_seq = excluded.verified_seq, verified_hash = excluded.verified_hash, checked_at = excluded.checked_at`,
			agency, c.Vehicle, c.Verified, prevHash, db.now()); err != nil {
			return c, err
		}
	}
	return c, nil
}
