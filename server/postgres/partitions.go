package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// monthStart is the first instant of t's month in UTC: partitions are calendar months in UTC.
func monthStart(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

// partitionName names the partition holding the month that starts at m.
func partitionName(m time.Time) string {
	return fmt.Sprintf("detections_p%04d%02d", m.Year(), int(m.Month()))
}

// EnsurePartitions makes the partitions from last month to two months ahead, so that
// ingest rarely has to create one; it runs at Open and with the daily retention job.
func (db *DB) EnsurePartitions(ctx context.Context) error {
	now := monthStart(db.now())
	for m := now.AddDate(0, -1, 0); !m.After(now.AddDate(0, 2, 0)); m = m.AddDate(0, 1, 0) {
		if err := db.ensurePartition(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

// ensurePartition creates the month's partition unless it exists. It runs outside the
// ingest transaction: creating a partition locks the parent table briefly.
func (db *DB) ensurePartition(ctx context.Context, t time.Time) error {
	m := monthStart(t)
	if db.knownPartition(m) {
		return nil
	}
	name := partitionName(m)
	_, err := db.pool.Exec(ctx, fmt.Sprintf(`CREATE TABLE IF NOT EXISTS %s PARTITION OF detections
		FOR VALUES FROM ('%s') TO ('%s')`, pgx.Identifier{name}.Sanitize(),
		m.Format(time.RFC3339), m.AddDate(0, 1, 0).Format(time.RFC3339)))
	if err != nil {
		// Two batches may race to create the same month; the loser sees it exists.
		var exists bool
		if qerr := db.pool.QueryRow(ctx, `SELECT to_regclass($1) IS NOT NULL`, name).Scan(&exists); qerr != nil || !exists {
			return fmt.Errorf("create partition %s: %w", name, err)
		}
	}
	db.partMu.Lock()
	if db.parts == nil {
		db.parts = map[time.Time]bool{}
	}
	db.parts[m] = true
	db.partMu.Unlock()
	return nil
}

func (db *DB) knownPartition(m time.Time) bool {
	db.partMu.Lock()
	defer db.partMu.Unlock()
	return db.parts[m]
}

func (db *DB) forgetPartition(m time.Time) {
	db.partMu.Lock()
	delete(db.parts, m)
	db.partMu.Unlock()
}

// partition is one monthly partition of detections.
type partition struct {
	name       string
	from, upto time.Time
}

// partitions lists the detection partitions, oldest first.
func (db *DB) partitions(ctx context.Context) ([]partition, error) {
	rows, err := db.pool.Query(ctx, `SELECT c.relname FROM pg_inherits i
		JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
		WHERE p.relname = 'detections' ORDER BY c.relname`)
	if err != nil {
		return nil, fmt.Errorf("list partitions: %w", err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("list partitions: %w", err)
	}
	var out []partition
	for _, n := range names {
		var y, mo int
		if _, err := fmt.Sscanf(n, "detections_p%04d%02d", &y, &mo); err != nil {
			continue // not one of ours
		}
		from := time.Date(y, time.Month(mo), 1, 0, 0, 0, 0, time.UTC)
		out = append(out, partition{name: n, from: from, upto: from.AddDate(0, 1, 0)})
	}
	return out, nil
}
