//go:build !linux

package main

import (
	"errors"
	"os"
)

// echoOff is not written for this system yet (Windows needs SetConsoleMode): the PIN is read
// as the first line of stdin, as from a script.
func echoOff(*os.File) (func(), error) { return nil, errors.New("no terminal control here") }
