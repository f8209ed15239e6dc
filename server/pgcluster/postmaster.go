package pgcluster

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// pidFile is what postgres writes to postmaster.pid (see PostgreSQL's pidfile.h).
type pidFile struct {
	pid    int
	port   int
	status string // "starting", "ready" or "stopping"; "" while the file is half-written
}

// readPIDFile reads data/postmaster.pid; ok is false when there is none.
func readPIDFile(data string) (pf pidFile, ok bool, err error) {
	b, err := os.ReadFile(filepath.Join(data, "postmaster.pid"))
	if errors.Is(err, os.ErrNotExist) {
		return pidFile{}, false, nil
	}
	if err != nil {
		return pidFile{}, false, fmt.Errorf("read postmaster.pid: %w", err)
	}
	lines := strings.Split(string(b), "\n")
	line := func(i int) string {
		if i < len(lines) {
			return strings.TrimSpace(lines[i])
		}
		return ""
	}
	pf.pid, _ = strconv.Atoi(line(0))
	pf.port, _ = strconv.Atoi(line(3))
	pf.status = line(7)
	return pf, true, nil
}

// isPostmasterOf reports whether pid is a live process working in data. A postmaster chdirs
// into its data directory, so this tells our postmaster from an unrelated process that got
// the same pid after a crash or a reboot (usual in containers, where pids start again at 1).
func isPostmasterOf(pid int, data string) bool {
	if pid <= 0 || !alive(pid) {
		return false
	}
	cwd, err := os.Readlink(fmt.Sprintf("/proc/%d/cwd", pid))
	return err == nil && cwd == data
}

// alive reports whether pid is a process that has not exited; a zombie has.
func alive(pid int) bool {
	if err := signal(pid, 0); err != nil && !errors.Is(err, syscall.EPERM) {
		return false
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return !errors.Is(err, os.ErrNotExist)
	}
	_, rest, ok := bytes.Cut(b, []byte(") "))
	return !ok || len(rest) == 0 || rest[0] != 'Z'
}

// childrenOf lists the processes whose parent is pid: a postmaster's backends and helpers.
func childrenOf(pid int) []int {
	entries, _ := os.ReadDir("/proc")
	var kids []int
	for _, e := range entries {
		child, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// Fields after the command name, which is in parentheses and may hold spaces:
		// state, ppid, ...
		i := bytes.LastIndexByte(b, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(string(b[i+1:]))
		if len(f) > 1 && f[1] == strconv.Itoa(pid) {
			kids = append(kids, child)
		}
	}
	return kids
}

// removeStaleLocks deletes the lock files a postmaster that is no longer running left behind:
// postmaster.pid and the socket's lock in dir. postgres clears a stale lock itself only when
// its pid is free; after a crash that pid may belong to something else.
func removeStaleLocks(dir, data string) error {
	stale := []string{filepath.Join(data, "postmaster.pid")}
	sockets, _ := filepath.Glob(filepath.Join(dir, ".s.PGSQL.*"))
	for _, p := range append(stale, sockets...) {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("remove stale lock after a crash: %w", err)
		}
	}
	return nil
}
