package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// DefaultRetention is how long detections are kept: two years (policy I.E, IV.A.1,
// Government Code § 34090).
const DefaultRetention = 2 * 365 * 24 * time.Hour

// DefaultPINIterations is the PBKDF2-SHA256 work factor for new PIN hashes.
const DefaultPINIterations = 210_000

// Options configures a store.
type Options struct {
	// Now is the clock; time.Now when nil. Tests inject a fixed clock.
	Now func() time.Time
	// Retention is how long detections are kept; DefaultRetention when zero.
	Retention time.Duration
	// PINIterations is the PBKDF2 work factor for new PINs; DefaultPINIterations when zero.
	PINIterations int
	// MaxPages, when positive, caps the database size in pages (PRAGMA max_page_count).
	// It exists so the disk-full path can be exercised without filling a real disk.
	MaxPages int
	// Training opens a classroom store, which WipeTraining may clear. A file made in
	// one mode refuses to open in the other (ErrNotTraining).
	Training bool
}

// DB is an open store. It is safe for concurrent use.
type DB struct {
	sql       *sql.DB
	path      string
	now       func() time.Time
	retention time.Duration
	pinIter   int
	training  bool
	commits   committer
}

// Open opens (creating if needed) the store at path and brings its schema up to date.
func Open(ctx context.Context, path string, opt Options) (*DB, error) {
	isNew, err := checkHeader(path)
	if err != nil {
		return nil, err
	}
	db := &DB{path: path, now: opt.Now, retention: opt.Retention, pinIter: opt.PINIterations, training: opt.Training}
	if db.now == nil {
		db.now = time.Now
	}
	if db.retention <= 0 {
		db.retention = DefaultRetention
	}
	if db.pinIter <= 0 {
		db.pinIter = DefaultPINIterations
	}
	h, err := sql.Open("sqlite", dsn(path, opt))
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	db.sql = h
	if err := h.PingContext(ctx); err != nil {
		h.Close()
		return nil, fmt.Errorf("open store %s: %w", path, classify(err))
	}
	if err := markMode(ctx, h, isNew, opt.Training); err != nil {
		h.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	if err := migrate(ctx, h, migrationFiles); err != nil {
		h.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	return db, nil
}

// dsn builds the connection string. The pragmas are DSN parameters so that every
// connection of database/sql's pool gets them, not just the first.
//   - WAL lets searches run while the engine writes detections.
//   - synchronous=FULL: a detection is durable when SaveDetection returns, which the
//     crash test checks; at under one detection a second the fsync costs nothing.
//   - _txlock=immediate takes the write lock at BEGIN, so two writers queue on the
//     busy timeout instead of failing with SQLITE_BUSY when a read upgrades.
func dsn(path string, opt Options) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "foreign_keys(ON)")
	if opt.MaxPages > 0 {
		q.Add("_pragma", fmt.Sprintf("max_page_count(%d)", opt.MaxPages))
	}
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode()
}

// sqliteMagic starts every SQLite 3 database file.
const sqliteMagic = "SQLite format 3\x00"

// checkHeader rejects a file that exists and is not SQLite before the driver sees it:
// SQLite would only notice at the first read, and in WAL mode might write beside it.
// It reports whether the file is new (missing or empty).
func checkHeader(path string) (isNew bool, err error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("open store %s: %w", path, err)
	}
	defer f.Close()
	buf := make([]byte, len(sqliteMagic))
	n, err := io.ReadFull(f, buf)
	switch {
	case n == 0:
		return true, nil // an empty file is a database not yet written
	case errors.Is(err, io.ErrUnexpectedEOF) || (err == nil && string(buf) != sqliteMagic):
		return false, fmt.Errorf("open store %s: %w", path, ErrNotDatabase)
	case err != nil:
		return false, fmt.Errorf("open store %s: %w", path, err)
	}
	return false, nil
}

// Close closes the database; pending writes have already been committed.
func (db *DB) Close() error {
	if err := db.sql.Close(); err != nil {
		return fmt.Errorf("close store %s: %w", db.path, err)
	}
	return nil
}

// Path returns the file the store lives in.
func (db *DB) Path() string { return db.path }

// withTx runs fn in one write transaction and commits it; any error rolls it back.
func (db *DB) withTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return classify(err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return classify(err)
	}
	if err := tx.Commit(); err != nil {
		return classify(err)
	}
	return nil
}

// nanos stores a time as Unix nanoseconds; the zero time is NULL.
func nanos(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixNano()
}

// fromNanos reverses nanos.
func fromNanos(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return time.Unix(0, n.Int64).UTC()
}
