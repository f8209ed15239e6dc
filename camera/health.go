package camera

import (
	"errors"
	"fmt"
	"io/fs"
	"time"
)

// State is what a camera's status light shows.
type State int

// Camera states.
const (
	NoSignal     State = iota // open, or opening, but no frame for NoSignalAfter
	OK                        // frames arriving
	Reconnecting              // the feed failed; reopening with backoff
	Stopped                   // Close was called
)

func (s State) String() string {
	switch s {
	case OK:
		return "OK"
	case NoSignal:
		return "no signal"
	case Reconnecting:
		return "reconnecting"
	case Stopped:
		return "stopped"
	}
	return fmt.Sprintf("State(%d)", int(s))
}

// Health is a camera's state with its reason and counters, for the status
// bar and the equipment report.
type Health struct {
	State     State
	Reason    string    // a short sentence for the officer; "" when OK
	Err       error     // the failure behind Reconnecting, whole, for the log
	Since     time.Time // when State began
	LastFrame time.Time // zero before the first frame
	Frames    uint64    // frames read from the feed
	Dropped   uint64    // frames replaced by a newer one before anyone took them
	BadFrames uint64    // frames the feed could not decode (skipped)
	Failures  uint64    // times opening or reading the feed failed
}

// plainReason says in a few words why a feed failed: the status bar has no
// room for OpenCV's error chain, which Health.Err keeps.
func plainReason(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "camera not found"
	case errors.Is(err, fs.ErrPermission):
		return "no permission to open camera"
	case errors.Is(err, ErrCannotOpen):
		return "camera cannot be opened"
	case errors.Is(err, ErrNoFrames):
		return "no picture from camera"
	}
	return "camera failed"
}
