package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// OutsideRequests lists the requests for the agency's data from agencies outside the network
// (IV.B.2), undecided first, newest first.
func (db *DB) OutsideRequests(ctx context.Context, agency string) ([]OutsideRequest, error) {
	rows, err := db.pool.Query(ctx, `SELECT id::text, requester, purpose, case_number, query, received_at, received_by,
		coalesce(decision, ''), coalesce(decision_reason, ''), coalesce(decided_by, ''), coalesce(decided_at, 'epoch')
		FROM outside_requests WHERE agency_id = $1 ORDER BY decision IS NOT NULL, received_at DESC LIMIT 500`, agency)
	if err != nil {
		return nil, fmt.Errorf("list outside requests: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (OutsideRequest, error) {
		q := OutsideRequest{Agency: agency}
		err := r.Scan(&q.ID, &q.Requester, &q.Purpose, &q.CaseNumber, &q.Query, &q.ReceivedAt, &q.ReceivedBy,
			&q.Decision, &q.DecisionReason, &q.DecidedBy, &q.DecidedAt)
		if q.DecidedAt.Equal(time.Unix(0, 0)) {
			q.DecidedAt = time.Time{}
		}
		return q, err
	})
	if err != nil {
		return nil, fmt.Errorf("list outside requests: %w", err)
	}
	return out, nil
}
