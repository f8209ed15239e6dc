package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// AuditEntry is one action recorded at the server.
type AuditEntry struct {
	At     time.Time
	Actor  string
	Action string
	Detail string
}

// ServerAuditLog returns the newest server audit entries.
func (db *DB) ServerAuditLog(ctx context.Context, agency string, limit int) ([]AuditEntry, error) {
	rows, err := db.pool.Query(ctx, `SELECT at, actor, action, detail FROM server_audit WHERE agency_id = $1
		ORDER BY at DESC, id DESC LIMIT $2`, agency, limit)
	if err != nil {
		return nil, fmt.Errorf("read server audit: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (AuditEntry, error) {
		var e AuditEntry
		err := r.Scan(&e.At, &e.Actor, &e.Action, &e.Detail)
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("read server audit: %w", err)
	}
	return out, nil
}
