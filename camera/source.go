package camera

import (
	"context"
	"errors"

	"gocv.io/x/gocv"
)

// Source is one video feed. Open may be called again after Close to reconnect.
// Read fills dst with the next BGR frame, blocking until it arrives; an error
// wrapping ErrBadFrame means only that frame was lost and the next Read may
// succeed, any other error means the feed has failed and must be reopened.
type Source interface {
	Open(ctx context.Context) error
	Read(dst *gocv.Mat) error
	Close() error
}

// Errors a Source reports.
var (
	// ErrBadFrame: one frame could not be decoded (a corrupt image in a folder).
	ErrBadFrame = errors.New("bad frame")
	// ErrNoFrames: the feed opened but gives no pictures (end of a stream,
	// an unplugged device, an empty or corrupt video file).
	ErrNoFrames = errors.New("no frames")
	// ErrCannotOpen: OpenCV could not open the feed (a corrupt or unsupported
	// file, a stream nobody serves, a device that is not a camera).
	ErrCannotOpen = errors.New("cannot open")
	// ErrNotOpen: Read before Open or after Close.
	ErrNotOpen = errors.New("source not open")
)
