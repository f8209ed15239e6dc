//go:build unix

package dirlock_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"patrol-alpr/internal/dirlock"
)

// TestSecondCopyIsRefused: while one copy holds a folder a second is refused with a message
// naming the folder and the holder; after Release, and in another folder, locking works.
func TestSecondCopyIsRefused(t *testing.T) {
	dir := t.TempDir()
	first, err := dirlock.Acquire(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = dirlock.Acquire(dir)
	if !errors.Is(err, dirlock.ErrLocked) {
		t.Fatalf("second Acquire: %v, want ErrLocked", err)
	}
	for _, want := range []string{dir, "process " + strconv.Itoa(os.Getpid())} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("refusal %q does not name %q", err, want)
		}
	}
	other, err := dirlock.Acquire(t.TempDir())
	if err != nil {
		t.Fatalf("another folder: %v", err)
	}
	defer other.Release()
	if err := first.Release(); err != nil {
		t.Fatal(err)
	}
	again, err := dirlock.Acquire(dir)
	if err != nil {
		t.Fatalf("after Release: %v", err)
	}
	again.Release()
}

// TestLockOfAKilledProcessIsGone: a copy that dies without releasing (kill -9) does not keep
// the folder locked, though its lock file stays behind.
func TestLockOfAKilledProcessIsGone(t *testing.T) {
	if _, err := exec.LookPath("flock"); err != nil {
		t.Skip("flock(1) not installed")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, dirlock.FileName)
	// flock(1) holds the same kind of lock on the file while sleep runs; killing flock(1)
	// is the kill -9 of the holder.
	holder := exec.Command("flock", "-x", "-o", path, "sleep", "60") // -o: sleep does not inherit the lock
	holder.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := holder.Start(); err != nil {
		t.Fatal(err)
	}
	defer syscall.Kill(-holder.Process.Pid, syscall.SIGKILL) // and its sleep
	for i := 0; ; i++ {
		l, err := dirlock.Acquire(dir)
		if errors.Is(err, dirlock.ErrLocked) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		l.Release() // flock(1) has not taken it yet
		if i > 200 {
			t.Fatal("flock(1) never took the lock")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := holder.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = holder.Wait()
	l, err := dirlock.Acquire(dir)
	if err != nil {
		t.Fatalf("after the holder was killed: %v", err)
	}
	l.Release()
	if _, err := os.Stat(path); err != nil {
		t.Errorf("lock file: %v", err)
	}
}
