//go:build unix

package pgtest

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

var dsn string

// crashHelper makes the test binary, run again by TestWatchdogRemovesClusterAfterCrash, start
// a database and die without cleaning up.
const crashHelper = "PGTEST_CRASH_HELPER"

func TestMain(m *testing.M) {
	if os.Getenv(crashHelper) != "" {
		db, err := Start(context.Background(), "crash")
		if err != nil {
			fmt.Println("error", err)
			os.Exit(1)
		}
		fmt.Println(db.Cluster.Dir(), db.Cluster.PID())
		os.Exit(3)
	}
	Main(m, &dsn)
}

func TestDSNReachesTheDatabase(t *testing.T) {
	psql := "/usr/lib/postgresql/15/bin/psql"
	if _, err := os.Stat(psql); err != nil {
		matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/psql")
		if len(matches) == 0 {
			t.Fatal("no psql")
		}
		psql = matches[len(matches)-1]
	}
	out, err := exec.Command(psql, "-X", "-A", "-t", dsn, "-c", "SELECT current_database()").CombinedOutput()
	if err != nil {
		t.Fatalf("psql %q: %v: %s", dsn, err, out)
	}
	if got := strings.TrimSpace(string(out)); got != "test" {
		t.Errorf("current_database() = %q, want test", got)
	}
}

func TestWatchdogRemovesClusterAfterCrash(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashHelper+"=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var dir string
	var pid int
	line, _ := bufio.NewReader(out).ReadString('\n')
	if _, err := fmt.Sscan(line, &dir, &pid); err != nil {
		t.Fatalf("helper said %q: %v", line, err)
	}
	if err := cmd.Wait(); err == nil {
		t.Fatal("helper exited cleanly; it was meant to crash")
	}
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		_, statErr := os.Stat(dir)
		if os.IsNotExist(statErr) && !running(pid) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("15 s after the crash: %s stat=%v, postmaster %d running=%v", dir, statErr, pid, running(pid))
		}
	}
}

// running reports whether pid is a process that has not exited; a zombie, which an init that
// is slow to reap leaves around, has.
func running(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	_, rest, _ := strings.Cut(string(b), ") ")
	return !strings.HasPrefix(rest, "Z")
}
