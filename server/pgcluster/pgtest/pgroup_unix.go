//go:build unix

package pgtest

import (
	"os/exec"
	"syscall"
)

// ownProcessGroup keeps a ^C meant for the tests from killing cmd before it cleans up.
func ownProcessGroup(cmd *exec.Cmd) { cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} }
