// Package dirlock keeps one copy of the app per data folder: two copies on one SQLite file
// would each think it owns the shift, the cameras and the outbox.
package dirlock

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// FileName is the lock file kept in the data folder.
const FileName = "patrol-alpr.lock"

// ErrLocked means another process holds the folder.
var ErrLocked = errors.New("data folder in use by another copy of Patrol ALPR")

// Lock is a held data folder; Release lets the next copy in.
type Lock struct {
	f *os.File
}

// Acquire locks dir for this process. The operating system drops the lock when the
// process ends, however it ends, so a crash never leaves the folder locked; the file
// only records the holder's process id for the message the second copy shows.
func Acquire(dir string) (*Lock, error) {
	path := filepath.Join(dir, FileName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock data folder %s: %w", dir, err)
	}
	if err := lockFile(f); err != nil {
		f.Close()
		if errors.Is(err, errWouldBlock) {
			return nil, fmt.Errorf("%w: %s%s", ErrLocked, dir, holder(path))
		}
		return nil, fmt.Errorf("lock data folder %s: %w", dir, err)
	}
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return &Lock{f: f}, nil
}

// holder names the process that holds the lock, as far as its file says.
func holder(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	if pid := strings.TrimSpace(string(b)); pid != "" {
		return " (process " + pid + ")"
	}
	return ""
}

// Release unlocks the folder. The file stays: removing it would let a third copy lock
// a new file while a second still waits on the old one.
func (l *Lock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := l.f.Close() // closing the descriptor drops the lock
	l.f = nil
	return err
}
