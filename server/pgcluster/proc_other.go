//go:build !unix

package pgcluster

import (
	"errors"
	"os"
	"os/exec"
	"syscall"
)

// The embedded cluster runs Debian's PostgreSQL programs and reads /proc: on other systems
// (Windows) the server needs a DSN, and what follows only lets the package compile there.

type credential struct{}

func newCredential(uint32, []uint32) *credential { return nil }

func runAs(*exec.Cmd, *credential) {}

func owner(os.FileInfo) (uid, gid int, ok bool) { return 0, 0, false }

func signal(int, syscall.Signal) error { return errors.ErrUnsupported }

const (
	sigQuit = syscall.Signal(3)
	sigStop = syscall.Signal(19)
	sigKill = syscall.Signal(9)
)
