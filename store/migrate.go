package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migration is one numbered schema step; file NNNN_name.sql becomes version NNNN.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations lists the steps in fsys in order.
func migrations(fsys fs.FS) ([]migration, error) {
	names, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, n := range names {
		base := strings.TrimPrefix(n, "migrations/")
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number and '_'", n)
		}
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: base, sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: expected version %d", m.name, i+1)
		}
	}
	return ms, nil
}

// SchemaVersion is the schema version this binary writes (PRAGMA user_version).
func SchemaVersion() int {
	ms, err := migrations(migrationFiles)
	if err != nil {
		return 0
	}
	return len(ms)
}

// migrate applies the missing migrations in one transaction, so a crash or a
// failing step leaves the file at its old version, never half-way.
func migrate(ctx context.Context, h *sql.DB, fsys fs.FS) error {
	ms, err := migrations(fsys)
	if err != nil {
		return err
	}
	conn, err := h.Conn(ctx)
	if err != nil {
		return classify(err)
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin migration: %w", classify(err))
	}
	defer tx.Rollback()
	var have int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&have); err != nil {
		return fmt.Errorf("read schema version: %w", classify(err))
	}
	if have > len(ms) {
		return fmt.Errorf("%w: file has schema %d, this program knows up to %d", ErrSchemaTooNew, have, len(ms))
	}
	if have == len(ms) {
		return nil
	}
	if have == 0 {
		// Version 0 with tables in it is some other program's database: adding ours
		// beside them would pass it off as an ALPR store.
		var objects int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&objects); err != nil {
			return fmt.Errorf("read schema: %w", classify(err))
		}
		if objects > 0 {
			return fmt.Errorf("%w: it holds %d tables of another program", ErrNotDatabase, objects)
		}
	}
	for _, m := range ms[have:] {
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			return fmt.Errorf("migration %s: %w", m.name, classify(err))
		}
	}
	// PRAGMA takes no bound parameters; the value is an int we computed.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", len(ms))); err != nil {
		return fmt.Errorf("set schema version: %w", classify(err))
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit migration: %w", classify(err))
	}
	return nil
}
