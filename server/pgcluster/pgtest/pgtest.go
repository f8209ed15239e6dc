// Package pgtest gives a package's tests a PostgreSQL database of their own, on a cluster made
// for the test run and removed after it.
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"patrol-alpr/server/pgcluster"
)

// Main is a package's TestMain: it starts a cluster with one database, stores the database's
// DSN in *dsn, runs the tests, and removes the cluster whether they passed or not.
//
//	var dsn string
//
//	func TestMain(m *testing.M) { pgtest.Main(m, &dsn) }
func Main(m *testing.M, dsn *string) {
	os.Exit(run(m, dsn))
}

func run(m *testing.M, dsn *string) int {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	db, err := Start(ctx, "test")
	cancel()
	if err != nil {
		fmt.Fprintln(os.Stderr, "pgtest:", err)
		return 1
	}
	*dsn = db.DSN
	code := m.Run()
	if code != 0 {
		db.printLog(os.Stderr)
	}
	if err := db.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "pgtest:", err)
		if code == 0 {
			code = 1
		}
	}
	return code
}

// DB is one database on a throwaway cluster.
type DB struct {
	Cluster *pgcluster.Cluster // for fault tests: Kill, Stop, Start again on Cluster.Dir()
	DSN     string

	watchdog *exec.Cmd
}

// settings trade durability against a crash of the machine, which tests do not survive
// anyway, for speed. Commits are still written to the kernel before they are acknowledged
// (synchronous_commit stays on), so killing postgres in a fault test loses nothing committed.
func settings() map[string]string {
	return map[string]string{"fsync": "off", "full_page_writes": "off"}
}

// Start makes a cluster in a fresh temporary directory and creates database on it. A watchdog
// process stops and removes the cluster if this process dies without calling Close, as a test
// binary does when a test panics or times out.
func Start(ctx context.Context, database string) (*DB, error) {
	dir, err := os.MkdirTemp("", "patrol-pgtest-*")
	if err != nil {
		return nil, fmt.Errorf("make a directory for the test cluster: %w", err)
	}
	c, err := pgcluster.Start(ctx, dir, pgcluster.Options{Settings: settings()})
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	d := &DB{Cluster: c, DSN: c.DSN(database)}
	if err := c.CreateDatabase(ctx, database); err != nil {
		return nil, errors.Join(err, d.Close())
	}
	if err := d.watch(); err != nil {
		return nil, errors.Join(err, d.Close())
	}
	return d, nil
}

// watchdogScript waits for its stdin to close, which happens when this process exits however
// it exits, then ends the postmaster (if it is still ours) and removes the cluster.
const watchdogScript = `read _
pid=$(head -n 1 "$1/postmaster.pid" 2>/dev/null) &&
	[ "$(readlink "/proc/$pid/cwd")" = "$1" ] && kill -QUIT "$pid"
sleep 1
rm -rf "$2"`

func (d *DB) watch() error {
	cmd := exec.Command("/bin/sh", "-c", watchdogScript, "pgtest-watchdog", d.Cluster.DataDir(), d.Cluster.Dir())
	ownProcessGroup(cmd)
	if _, err := cmd.StdinPipe(); err != nil {
		return fmt.Errorf("start the test cluster's watchdog: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start the test cluster's watchdog: %w", err)
	}
	d.watchdog = cmd
	return nil
}

// Close stops the cluster and removes its directory.
func (d *DB) Close() error {
	if d.watchdog != nil {
		// Killed rather than released: after we stop the postmaster its pid is free for reuse.
		_ = d.watchdog.Process.Kill()
		_ = d.watchdog.Wait()
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := d.Cluster.Stop(ctx)
	if err != nil && d.Cluster.PID() != 0 {
		err = errors.Join(err, d.Cluster.Kill())
	}
	if rmErr := os.RemoveAll(d.Cluster.Dir()); rmErr != nil {
		err = errors.Join(err, fmt.Errorf("remove the test cluster: %w", rmErr))
	}
	return err
}

// printLog shows the end of postgres's log, for when tests failed.
func (d *DB) printLog(w io.Writer) {
	b, err := os.ReadFile(filepath.Join(d.Cluster.Dir(), "postgres.log"))
	if err != nil {
		return
	}
	if len(b) > 4096 {
		b = b[len(b)-4096:]
	}
	fmt.Fprintf(w, "pgtest: the end of postgres's log:\n%s\n", b)
}
