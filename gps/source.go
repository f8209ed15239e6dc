package gps

import (
	"context"
	"errors"
	"io"
)

// Source is where NMEA bytes come from. The Receiver calls Open again, with backoff,
// whenever the stream it returned fails or ends, so a Source must be reopenable.
type Source interface {
	// Open starts a stream. Closing it must unblock a Read in progress.
	Open(ctx context.Context) (io.ReadCloser, error)
	// String names the source for logs and errors, e.g. "serial /dev/ttyUSB0 at 4800 baud".
	String() string
}

// ErrEnded is returned by Open of a source that has nothing more to give (a recording
// played once); the Receiver's Run then returns.
var ErrEnded = errors.New("gps source ended")
