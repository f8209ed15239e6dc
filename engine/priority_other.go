//go:build !linux

package engine

import "errors"

// lowerThreadPriority is Linux only: elsewhere the readers keep the app's priority.
func lowerThreadPriority() error {
	return errors.New("thread priority is set on Linux only")
}

// readerThread names nothing outside Linux.
const readerThread = "alpr-reader"

// nameThread is Linux only.
func nameThread(string) error { return errors.New("threads are named on Linux only") }
