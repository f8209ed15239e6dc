package loadtest

import (
	"os/exec"
	"syscall"
)

// stopWithParent has the kernel send cmd SIGTERM when the load test dies without stopping it.
func stopWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}
