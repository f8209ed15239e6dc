//go:build !unix

package pgtest

import "os/exec"

// ownProcessGroup does nothing where there are no process groups; the embedded cluster
// needs a Unix anyway.
func ownProcessGroup(*exec.Cmd) {}
