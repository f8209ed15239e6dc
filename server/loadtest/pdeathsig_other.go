//go:build !linux

package loadtest

import "os/exec"

// stopWithParent: only Linux tells a child that its parent died; elsewhere a load test that
// dies leaves the server running.
func stopWithParent(*exec.Cmd) {}
