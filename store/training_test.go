package store_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"patrol-alpr/store"
)

func TestWipeTraining(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "classroom.db")
	db, err := store.Open(ctx, path, store.Options{Training: true, PINIterations: 1000})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.PutOperator(ctx, officer, "482916"); err != nil {
		t.Fatal(err)
	}
	d := detection("7ABC123", t0)
	if err := db.SaveDetection(ctx, d); err != nil {
		t.Fatal(err)
	}
	if err := db.HoldEvidence(ctx, d.ID, "TRAIN-1", officer.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.WipeTraining(ctx); err != nil {
		t.Fatal(err)
	}
	n, _ := db.CountDetections(ctx)
	ops, _ := db.Operators(ctx)
	out, _ := db.OutboxLen(ctx)
	// Only the wipe's own audit entry waits to be sent.
	if n != 0 || len(ops) != 0 || out != 1 {
		t.Fatalf("after wipe: %d detections, %d operators, %d outbox items", n, len(ops), out)
	}
	es, _ := db.AuditLog(ctx, time.Time{})
	if last := es[len(es)-1]; last.Action != store.ActionTrainingWipe {
		t.Fatalf("last audit entry %+v, want the wipe", last)
	}
	if err := db.VerifyAudit(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestTrainingAndPatrolStoresStayApart(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	patrol, classroom := filepath.Join(dir, "patrol.db"), filepath.Join(dir, "classroom.db")
	for _, c := range []struct {
		path     string
		training bool
	}{{patrol, false}, {classroom, true}} {
		db, err := store.Open(ctx, c.path, store.Options{Training: c.training})
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
	}
	cases := []struct {
		name     string
		path     string
		training bool
	}{
		{"patrol store opened for class", patrol, true},
		{"classroom store opened for patrol", classroom, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db, err := store.Open(ctx, c.path, store.Options{Training: c.training})
			if err == nil {
				db.Close()
			}
			if !errors.Is(err, store.ErrNotTraining) {
				t.Fatalf("err = %v, want ErrNotTraining", err)
			}
		})
	}
	db, err := store.Open(ctx, patrol, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.WipeTraining(ctx); !errors.Is(err, store.ErrNotTraining) {
		t.Fatalf("wiping the patrol store: %v, want ErrNotTraining", err)
	}
}

func TestOpenRefusesAnotherProgramsDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "other.db")
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`CREATE TABLE contacts (name TEXT)`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	db, err := store.Open(context.Background(), path, store.Options{})
	if err == nil {
		db.Close()
	}
	if !errors.Is(err, store.ErrNotDatabase) {
		t.Fatalf("err = %v, want ErrNotDatabase", err)
	}
}
