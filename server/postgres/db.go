package postgres

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Sentinel errors, for the HTTP layer to choose a status by errors.Is.
var (
	ErrNotFound        = errors.New("not found")
	ErrUnknownOperator = errors.New("operator not on the agency's roster")
	ErrUnknownVehicle  = errors.New("vehicle not registered")
	ErrRevoked         = errors.New("certificate revoked")
	ErrInvalid         = errors.New("invalid")
)

// Retention is how long ALPR data is kept before it is purged unless it is evidence (IV.A).
const Retention = 2 // years

// DB is the agency server's PostgreSQL store.
type DB struct {
	pool *pgxpool.Pool
	Now  func() time.Time // the clock; time.Now unless a test sets it

	cache caches // rosters and vehicles, so a batch does not ask for them every time

	partMu sync.Mutex
	parts  map[time.Time]bool // months whose partition is known to exist
}

// Open connects to dsn, applies the migrations not yet applied, and makes sure the
// detection partitions of the retention period and the next months exist.
func Open(ctx context.Context, dsn string, maxConns int32) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("parse database address: %w", err)
	}
	if maxConns > 0 {
		cfg.MaxConns = maxConns
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	db := &DB{pool: pool, Now: time.Now}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect to database %s: %w", cfg.ConnConfig.Database, err)
	}
	if err := db.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	if err := db.EnsurePartitions(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return db, nil
}

// Close releases the connections.
func (db *DB) Close() { db.pool.Close() }

// Ping says whether the database answers, for /healthz.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.pool.Ping(ctx); err != nil {
		return fmt.Errorf("ping database: %w", err)
	}
	return nil
}

func (db *DB) now() time.Time { return db.Now().UTC() }

// Pool is the connection pool, for tests that look at the tables directly.
func (db *DB) Pool() *pgxpool.Pool { return db.pool }
