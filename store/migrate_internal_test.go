package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"testing/fstest"
)

func TestMigrationIsAllOrNothing(t *testing.T) {
	ctx := context.Background()
	h, err := sql.Open("sqlite", dsn(filepath.Join(t.TempDir(), "m.db"), Options{}))
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	steps := fstest.MapFS{
		"migrations/0001_good.sql": {Data: []byte(`CREATE TABLE kept (x INTEGER);`)},
		"migrations/0002_bad.sql":  {Data: []byte(`CREATE TABLE half (x INTEGER); SELECT * FROM no_such_table;`)},
	}
	if err := migrate(ctx, h, steps); err == nil {
		t.Fatal("a failing migration reported success")
	}
	var version, tables int
	h.QueryRow(`PRAGMA user_version`).Scan(&version)
	h.QueryRow(`SELECT count(*) FROM sqlite_schema WHERE name IN ('kept', 'half')`).Scan(&tables)
	if version != 0 || tables != 0 {
		t.Fatalf("after a failed migration: version %d, %d tables; want 0 and 0", version, tables)
	}
	delete(steps, "migrations/0002_bad.sql")
	if err := migrate(ctx, h, steps); err != nil {
		t.Fatal(err)
	}
	h.QueryRow(`PRAGMA user_version`).Scan(&version)
	if version != 1 {
		t.Fatalf("version %d after the good migration, want 1", version)
	}
}

// TestEveryConnectionIsConfigured guards the reason the pragmas are DSN parameters:
// database/sql opens more connections as needed, and each must be durable and
// enforce foreign keys.
func TestEveryConnectionIsConfigured(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "alpr.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var conns []*sql.Conn
	for i := 0; i < 3; i++ {
		c, err := db.sql.Conn(ctx) // held, so each is a distinct connection
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		conns = append(conns, c)
	}
	want := map[string]string{"journal_mode": "wal", "synchronous": "2", "foreign_keys": "1", "busy_timeout": "10000"}
	for i, c := range conns {
		for p, v := range want {
			var got string
			if err := c.QueryRowContext(ctx, "PRAGMA "+p).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != v {
				t.Errorf("connection %d: PRAGMA %s = %s, want %s", i, p, got, v)
			}
		}
	}
}
