//go:build !linux

package engine

import "errors"

// lowerThreadPriority is Linux only: elsewhere the readers keep the app's priority.
func lowerThreadPriority() error {
	return errors.New("thread priority is set on Linux only")
}
