package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	_ "modernc.org/sqlite"

	"patrol-alpr/store"
)

func TestOpenRejectsFilesThatAreNotDatabases(t *testing.T) {
	header := []byte("SQLite format 3\x00")
	cases := []struct {
		name    string
		content []byte
	}{
		{"text file", []byte("plate,state\n7ABC123,CA\n")},
		{"shorter than a header", []byte("SQLite")},
		{"random bytes", bytes.Repeat([]byte{0xde, 0xad, 0xbe, 0xef}, 1024)},
		{"header then garbage", append(header, bytes.Repeat([]byte{0xff}, 4096)...)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "alpr.db")
			if err := os.WriteFile(path, c.content, 0o600); err != nil {
				t.Fatal(err)
			}
			db, err := store.Open(context.Background(), path, store.Options{})
			if err == nil {
				db.Close()
				t.Fatal("Open succeeded on a file that is not a database")
			}
			if !errors.Is(err, store.ErrNotDatabase) {
				t.Fatalf("Open error = %v, want ErrNotDatabase", err)
			}
			// Bad input loses nothing: the file is as it was.
			got, _ := os.ReadFile(path)
			if !bytes.Equal(got, c.content) {
				t.Fatal("Open changed the file it refused")
			}
		})
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "alpr.db")
	db, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SaveDetection(ctx, detection("7ABC123", t0)); err != nil {
		t.Fatal(err)
	}
	db.Close()

	// A later version of the program has migrated the file.
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(fmt.Sprintf("PRAGMA user_version = %d", store.SchemaVersion()+1)); err != nil {
		t.Fatal(err)
	}
	raw.Close()

	db, err = store.Open(ctx, path, store.Options{})
	if err == nil {
		db.Close()
		t.Fatal("Open succeeded on a newer schema")
	}
	if !errors.Is(err, store.ErrSchemaTooNew) {
		t.Fatalf("Open error = %v, want ErrSchemaTooNew", err)
	}
}

func TestReopenKeepsDataAndSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "alpr.db")
	db, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	d := detection("4XYZ789", t0)
	if err := db.SaveDetection(ctx, d); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err = store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, err := db.Detection(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Plate != d.Plate || !bytes.Equal(got.SceneJPEG, d.SceneJPEG) {
		t.Fatalf("after reopen got %s with %d scene bytes", got.Plate, len(got.SceneJPEG))
	}
	var version int
	raw, _ := sql.Open("sqlite", path)
	defer raw.Close()
	if err := raw.QueryRow("PRAGMA user_version").Scan(&version); err != nil || version != store.SchemaVersion() {
		t.Fatalf("user_version = %d, %v; want %d", version, err, store.SchemaVersion())
	}
}

// TestDiskFull simulates a full disk with PRAGMA max_page_count (Options.MaxPages):
// mounting a tiny tmpfs needs privileges a test cannot count on. SQLite reports both
// the same way (SQLITE_FULL).
func TestDiskFull(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "alpr.db")
	db, err := store.Open(ctx, path, store.Options{MaxPages: 120})
	if err != nil {
		t.Fatal(err)
	}
	var saved []int64
	var full error
	for i := 0; i < 1000 && full == nil; i++ {
		d := detection(fmt.Sprintf("%dFUL%03d", i%10, i), t0)
		d.SceneJPEG = bytes.Repeat([]byte{byte(i)}, 8<<10)
		if err := db.SaveDetection(ctx, d); err != nil {
			full = err
			break
		}
		saved = append(saved, d.ID)
	}
	db.Close()
	if !errors.Is(full, store.ErrDiskFull) {
		t.Fatalf("saving into a full database: %v, want ErrDiskFull", full)
	}
	if len(saved) == 0 {
		t.Fatal("the limit left no room for a single detection; the test proves nothing")
	}
	// Nothing saved before is lost, and the file is sound once there is room again.
	db, err = store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	n, err := db.CountDetections(ctx)
	if err != nil || n != int64(len(saved)) {
		t.Fatalf("after disk full: %d detections (%v), want %d", n, err, len(saved))
	}
	if err := db.SaveDetection(ctx, detection("1ROOM11", t0)); err != nil {
		t.Fatalf("save after space freed: %v", err)
	}
	checkIntegrity(t, path)
}

// checkIntegrity runs PRAGMA integrity_check on a closed-or-open database file.
func checkIntegrity(t *testing.T, path string) {
	t.Helper()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var res string
	if err := raw.QueryRow("PRAGMA integrity_check").Scan(&res); err != nil {
		t.Fatal(err)
	}
	if res != "ok" {
		t.Fatalf("integrity_check: %s", res)
	}
}
