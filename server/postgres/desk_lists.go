package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// DeskList is the newest version of a hot list with its approvals (IV.C.2, IV.C.6).
type DeskList struct {
	Name            string
	Version         int64
	Kind            string // general or special
	Departmental    bool
	Entries         int
	SHA256          string
	ImportedAt      time.Time
	ImportedBy      string
	ApprovedBy      string // empty: not approved (a special list does not reach the cars)
	ApprovedAt      time.Time
	ShareApprovedBy string // empty: not approved for sharing (a departmental list stays home)
	ShareApprovedAt time.Time
}

// NeedsApproval says whether the list waits for the administrator before it is distributed.
func (l DeskList) NeedsApproval() bool { return l.Kind == "special" && l.ApprovedBy == "" }

// DeskLists returns the newest version of each of the agency's lists with its approvals.
func (db *DB) DeskLists(ctx context.Context, agency string) ([]DeskList, error) {
	rows, err := db.pool.Query(ctx, `SELECT DISTINCT ON (name) name, version, kind, departmental, entries, sha256,
		imported_at, imported_by, coalesce(approved_by, ''), coalesce(approved_at, 'epoch'),
		coalesce(share_approved_by, ''), coalesce(share_approved_at, 'epoch')
		FROM hot_lists WHERE agency_id = $1 ORDER BY name, version DESC`, agency)
	if err != nil {
		return nil, fmt.Errorf("list hot lists: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (DeskList, error) {
		var l DeskList
		err := r.Scan(&l.Name, &l.Version, &l.Kind, &l.Departmental, &l.Entries, &l.SHA256, &l.ImportedAt, &l.ImportedBy,
			&l.ApprovedBy, &l.ApprovedAt, &l.ShareApprovedBy, &l.ShareApprovedAt)
		return l, err
	})
	if err != nil {
		return nil, fmt.Errorf("list hot lists: %w", err)
	}
	return out, nil
}

// ApproveList approves one version of a special list for distribution to the cars
// (IV.C.2), audited. (Sharing a departmental list, IV.C.6, is ApproveListSharing.)
func (db *DB) ApproveList(ctx context.Context, agency, name string, version int64, by string) error {
	now := db.now()
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE hot_lists SET approved_at = $4, approved_by = $5
			WHERE agency_id = $1 AND name = $2 AND version = $3 AND approved_at IS NULL`, agency, name, version, now, by)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("%w: no such list version awaiting approval", ErrNotFound)
		}
		_, err = tx.Exec(ctx, `INSERT INTO server_audit (agency_id, at, actor, action, detail) VALUES ($1, $2, $3, $4, $5)`,
			agency, now, by, "hotlist.approve", fmt.Sprintf("%s version %d", name, version))
		return err
	})
	if err != nil {
		return fmt.Errorf("approve list %s version %d: %w", name, version, err)
	}
	return nil
}
