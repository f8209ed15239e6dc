package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"patrol-alpr/store"
)

// auditedStore returns a store path holding n audit entries, closed.
func auditedStore(t *testing.T, n int) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "alpr.db")
	c := newClock(t0)
	db, err := store.Open(ctx, path, store.Options{Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i := 1; i <= n; i++ {
		c.Advance(time.Minute)
		if err := db.Audit(ctx, "P1234", "test.action", fmt.Sprintf("entry %d", i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.VerifyAudit(ctx); err != nil {
		t.Fatalf("fresh log does not verify: %v", err)
	}
	return path
}

// tamper edits the file as an attacker with the sqlite3 shell would: the
// append-only triggers are dropped first.
func tamper(t *testing.T, path string, stmts ...string) {
	t.Helper()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, s := range append([]string{`DROP TRIGGER audit_log_no_update`, `DROP TRIGGER audit_log_no_delete`}, stmts...) {
		if _, err := raw.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

func TestVerifyAuditFindsTampering(t *testing.T) {
	const n = 6
	cases := []struct {
		name  string
		stmts []string
		want  int64
	}{
		{"edit detail", []string{`UPDATE audit_log SET detail = 'nothing to see' WHERE seq = 3`}, 3},
		{"edit actor of first", []string{`UPDATE audit_log SET actor = 'someone else' WHERE seq = 1`}, 1},
		{"edit time", []string{`UPDATE audit_log SET at = at + 1 WHERE seq = 5`}, 5},
		{"delete first", []string{`DELETE FROM audit_log WHERE seq = 1`}, 1},
		{"delete middle", []string{`DELETE FROM audit_log WHERE seq = 4`}, 4},
		{"delete last", []string{`DELETE FROM audit_log WHERE seq = 6`}, 6},
		{"delete last two", []string{`DELETE FROM audit_log WHERE seq >= 5`}, 5},
		{"delete and renumber", []string{`DELETE FROM audit_log WHERE seq = 2`,
			`UPDATE audit_log SET seq = seq - 1 WHERE seq > 2`}, 2},
		{"delete last and move head back", []string{`DELETE FROM audit_log WHERE seq = 6`,
			`UPDATE audit_head SET seq = 5`}, 5},
		// Replacing the stored hash as well does not help: it no longer matches the
		// contents chained to entry 2.
		{"edit and replace hash", []string{`UPDATE audit_log SET detail = 'x', hash = zeroblob(32) WHERE seq = 3`}, 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := auditedStore(t, n)
			tamper(t, path, c.stmts...)
			db, err := store.Open(context.Background(), path, store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			err = db.VerifyAudit(context.Background())
			var br *store.AuditBreak
			if !errors.As(err, &br) {
				t.Fatalf("VerifyAudit = %v, want an *AuditBreak", err)
			}
			if br.Seq != c.want {
				t.Fatalf("break reported at entry %d (%s), want %d", br.Seq, br.Reason, c.want)
			}
		})
	}
}

func TestAuditLogIsAppendOnly(t *testing.T) {
	path := auditedStore(t, 2)
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, s := range []string{`UPDATE audit_log SET detail = 'x' WHERE seq = 1`, `DELETE FROM audit_log WHERE seq = 2`} {
		if _, err := raw.Exec(s); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: err = %v, want the append-only trigger to refuse", s, err)
		}
	}
}

func TestAuditLogReadsBack(t *testing.T) {
	ctx := context.Background()
	db, c := openTest(t)
	if err := db.Audit(ctx, "P1", "a", "first"); err != nil {
		t.Fatal(err)
	}
	c.Advance(time.Hour)
	if err := db.Audit(ctx, "P2", "b", "second"); err != nil {
		t.Fatal(err)
	}
	es, err := db.AuditLog(ctx, t0.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 1 || es[0].Actor != "P2" || es[0].Detail != "second" || !es[0].At.Equal(t0.Add(time.Hour)) || len(es[0].Hash) != 64 {
		t.Fatalf("AuditLog since t0+1m = %+v", es)
	}
}
