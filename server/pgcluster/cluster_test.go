package pgcluster

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// clusterDir is a fresh directory for a cluster. Not t.TempDir: as root the cluster runs as
// postgres, which cannot pass through the 0700 directory t.TempDir makes above its own.
func clusterDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "pgcluster-test-*")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// start starts a cluster and stops it at the end of the test.
func start(t *testing.T, ctx context.Context, dir string, opt Options) *Cluster {
	t.Helper()
	c, err := Start(ctx, dir, opt)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { c.Stop(context.Background()) })
	return c
}

// query runs sql with psql and returns its trimmed output.
func query(t *testing.T, ctx context.Context, c *Cluster, database, sql string) string {
	t.Helper()
	out, err := c.psql(ctx, database, sql)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return strings.TrimSpace(out)
}

// queryDSN runs sql through psql connected by dsn, as a client given only the DSN would be.
func queryDSN(t *testing.T, ctx context.Context, c *Cluster, dsn, sql string) string {
	t.Helper()
	out, err := c.command(ctx, "psql", "-X", "-q", "-A", "-t", "-d", dsn, "-c", sql).CombinedOutput()
	if err != nil {
		t.Fatalf("psql %q -c %q: %v: %s", dsn, sql, err, out)
	}
	return strings.TrimSpace(string(out))
}

// TestClusterLifecycle walks one cluster through what the server and its fault tests do to
// it; one cluster for all steps, since each start costs a second or two.
func TestClusterLifecycle(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dir := clusterDir(t)
	c := start(t, ctx, dir, Options{})

	if got := query(t, ctx, c, "postgres", "SELECT 1"); got != "1" {
		t.Fatalf("SELECT 1 = %q", got)
	}
	if want := "host=" + dsnQuote(dir) + " port=" + strconv.Itoa(c.Port()) + " user=alpr dbname=alpr_test sslmode=disable"; c.DSN("alpr_test") != want {
		t.Errorf("DSN = %q, want the socket's %q", c.DSN("alpr_test"), want)
	}
	// The socket for the server, and loopback TCP still open for tools given host and port.
	tcp := "host=127.0.0.1 port=" + strconv.Itoa(c.Port()) + " user=alpr dbname=postgres sslmode=disable"
	for _, dsn := range []string{c.DSN("postgres"), tcp} {
		if got := queryDSN(t, ctx, c, dsn, "SELECT 2"); got != "2" {
			t.Errorf("SELECT 2 over %q = %q", dsn, got)
		}
	}
	for range 2 { // idempotent
		if err := c.CreateDatabase(ctx, "alpr_test"); err != nil {
			t.Fatalf("CreateDatabase: %v", err)
		}
	}
	query(t, ctx, c, "alpr_test", "CREATE TABLE plates (plate text); INSERT INTO plates VALUES ('ABC123')")
	if got := query(t, ctx, c, "postgres", "SHOW listen_addresses"); got != "127.0.0.1" {
		t.Errorf("listen_addresses = %q, want 127.0.0.1 only", got)
	}

	t.Run("second Start attaches to the running postmaster", func(t *testing.T) {
		again, err := Start(ctx, dir, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !again.Attached() || again.Port() != c.Port() || again.PID() != c.PID() {
			t.Errorf("attached=%v port=%d pid=%d, want attached to port %d pid %d", again.Attached(), again.Port(), again.PID(), c.Port(), c.PID())
		}
	})

	t.Run("restart reuses the data", func(t *testing.T) {
		for range 2 { // stopping a stopped cluster does nothing
			if err := c.Stop(ctx); err != nil {
				t.Fatalf("Stop: %v", err)
			}
		}
		c = start(t, ctx, dir, Options{})
		if got := query(t, ctx, c, "alpr_test", "SELECT plate FROM plates"); got != "ABC123" {
			t.Errorf("after restart plates = %q", got)
		}
	})

	t.Run("Kill then Start recovers", func(t *testing.T) {
		var log syncBuffer
		if err := c.Stop(ctx); err != nil {
			t.Fatal(err)
		}
		c = start(t, ctx, dir, Options{Log: &log})
		query(t, ctx, c, "alpr_test", "INSERT INTO plates VALUES ('KILL1')")
		pid := c.PID()
		if err := c.Kill(); err != nil {
			t.Fatalf("Kill: %v", err)
		}
		if alive(pid) {
			t.Fatalf("postmaster %d alive after Kill", pid)
		}
		if !strings.Contains(log.String(), "ready to accept connections") {
			t.Errorf("Log did not get postgres's log: %q", log.String())
		}
		c = start(t, ctx, dir, Options{})
		if got := query(t, ctx, c, "alpr_test", "SELECT count(*) FROM plates"); got != "2" {
			t.Errorf("after recovery %s rows, want 2", got)
		}
	})

	t.Run("stale postmaster.pid naming a live stranger", func(t *testing.T) {
		if err := c.Stop(ctx); err != nil {
			t.Fatal(err)
		}
		// After a reboot the old pid may belong to anything; here, to this test.
		stale := strconv.Itoa(os.Getpid()) + "\n" + c.DataDir() + "\n0\n5432\n" + dir + "\n127.0.0.1\n0 0\nready\n"
		if err := os.WriteFile(filepath.Join(c.DataDir(), "postmaster.pid"), []byte(stale), 0o600); err != nil {
			t.Fatal(err)
		}
		c = start(t, ctx, dir, Options{})
		if c.Attached() {
			t.Error("attached to a process that is not the postmaster")
		}
		query(t, ctx, c, "postgres", "SELECT 1")
	})
}

func TestStartRefuses(t *testing.T) {
	ctx := context.Background()
	empty := t.TempDir()
	tests := []struct {
		name string
		dir  func(t *testing.T) string
		opt  Options
		want []string
		is   error
	}{
		{"missing BinDir", clusterDir, Options{BinDir: "/nonexistent/pg/bin"}, []string{"/nonexistent/pg/bin/initdb"}, ErrNoPostgres},
		{"BinDir without binaries", clusterDir, Options{BinDir: empty}, []string{empty + "/initdb", "make setup"}, ErrNoPostgres},
		{"our own setting", clusterDir, Options{Settings: map[string]string{"port": "1"}}, []string{`"port"`}, nil},
		{"socket path too long", func(t *testing.T) string {
			return filepath.Join(clusterDir(t), strings.Repeat("d", 100))
		}, Options{}, []string{"too long"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Start(ctx, tt.dir(t), tt.opt)
			if err == nil {
				c.Stop(ctx)
				t.Fatal("Start succeeded")
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %v is not %v", err, tt.is)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestStartAsRootNeedsReachableDir(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("only root runs PostgreSQL as another user")
	}
	parent := clusterDir(t)
	if err := os.Chmod(parent, 0o700); err != nil {
		t.Fatal(err)
	}
	_, err := Start(context.Background(), filepath.Join(parent, "cluster"), Options{})
	if err == nil || !strings.Contains(err.Error(), parent+" (mode -rwx------)") {
		t.Fatalf("error %v does not name %s as what postgres cannot pass", err, parent)
	}
}

func TestCanSearch(t *testing.T) {
	pg := account{name: "postgres", uid: 101, gids: []int{104, 200}}
	tests := []struct {
		name     string
		perm     os.FileMode
		uid, gid int
		want     bool
	}{
		{"owner with x", 0o700, 101, 0, true},
		{"owner without x", 0o070, 101, 104, false},
		{"primary group", 0o750, 0, 104, true},
		{"supplementary group", 0o710, 0, 200, true},
		{"other group, others barred", 0o770, 0, 0, false},
		{"root's 0700 home", 0o700, 0, 0, false},
		{"others may pass", 0o711, 0, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := canSearch(tt.perm, tt.uid, tt.gid, pg); got != tt.want {
				t.Errorf("canSearch = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestDSNQuote(t *testing.T) {
	tests := []struct{ in, want string }{
		{"alpr", "alpr"},
		{"", "''"},
		{"two words", "'two words'"},
		{`it's`, `'it\'s'`},
		{`back\slash`, `'back\\slash'`},
	}
	for _, tt := range tests {
		if got := dsnQuote(tt.in); got != tt.want {
			t.Errorf("dsnQuote(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestParseVersion(t *testing.T) {
	tests := []struct{ in, want string }{
		{"pg_ctl (PostgreSQL) 15.14 (Debian 15.14-0+deb12u1)\n", "15"},
		{"pg_ctl (PostgreSQL) 9.6.24\n", "9"},
		{"garbage", ""},
	}
	for _, tt := range tests {
		if got := parseVersion(tt.in); got != tt.want {
			t.Errorf("parseVersion(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// syncBuffer is a bytes.Buffer that postgres's log may be written to while a test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
