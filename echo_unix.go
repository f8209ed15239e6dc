//go:build linux

package main

import (
	"os"

	"golang.org/x/sys/unix"
)

// echoOff stops a terminal echoing what is typed (a PIN) and returns how to put it back; it
// fails on anything that is not a terminal, so the caller reads a pipe plainly.
func echoOff(f *os.File) (restore func(), err error) {
	fd := int(f.Fd())
	old, err := unix.IoctlGetTermios(fd, unix.TCGETS)
	if err != nil {
		return nil, err
	}
	quiet := *old
	quiet.Lflag &^= unix.ECHO
	quiet.Lflag |= unix.ICANON
	if err := unix.IoctlSetTermios(fd, unix.TCSETS, &quiet); err != nil {
		return nil, err
	}
	return func() { _ = unix.IoctlSetTermios(fd, unix.TCSETS, old) }, nil
}
