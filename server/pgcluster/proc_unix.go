//go:build unix

package pgcluster

import (
	"os"
	"os/exec"
	"syscall"
)

// credential is the user and groups a PostgreSQL program runs as when that is not this
// process's user.
type credential = syscall.Credential

func newCredential(uid uint32, groups []uint32) *credential {
	return &syscall.Credential{Uid: uid, Gid: groups[0], Groups: groups}
}

// runAs has cmd run with cred; nil leaves it as this process's user.
func runAs(cmd *exec.Cmd, cred *credential) {
	if cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	}
}

// owner is the user and group that own a file.
func owner(fi os.FileInfo) (uid, gid int, ok bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0, false
	}
	return int(st.Uid), int(st.Gid), true
}

// signal sends sig to pid; 0 only checks that pid exists.
func signal(pid int, sig syscall.Signal) error { return syscall.Kill(pid, sig) }

const (
	sigQuit = syscall.SIGQUIT
	sigStop = syscall.SIGSTOP
	sigKill = syscall.SIGKILL
)
