package car

import (
	"context"
	"io"
	"sync/atomic"
	"time"

	"patrol-alpr/gps"
)

// fixGate lets the trainer's "GPS loses its fix" scenario silence a recorded drive (an NMEA
// replay used in the classroom instead of the simulated route): while lost, the replay's
// sentences stop reaching the receiver, as when an antenna is cut off, and the GPS light
// goes red by itself; when found, they flow again from where the replay is.
type fixGate struct {
	src  gps.Source
	lost atomic.Bool
}

// SetFixLost implements classroom.GPS.
func (g *fixGate) SetFixLost(lost bool) { g.lost.Store(lost) }

// Open implements gps.Source.
func (g *fixGate) Open(ctx context.Context) (io.ReadCloser, error) {
	rc, err := g.src.Open(ctx)
	if err != nil {
		return nil, err
	}
	return &gatedReader{rc: rc, g: g}, nil
}

func (g *fixGate) String() string { return "classroom " + g.src.String() }

// gatedReader discards what the replay sends while the gate is shut, so the replay's clock
// goes on and the drive resumes further along, as a real one would.
type gatedReader struct {
	rc io.ReadCloser
	g  *fixGate
}

func (r *gatedReader) Read(p []byte) (int, error) {
	for {
		n, err := r.rc.Read(p)
		if !r.g.lost.Load() || err != nil {
			return n, err
		}
		if n == 0 {
			time.Sleep(50 * time.Millisecond) // nothing to drop yet; the receiver allows no busy loop
		}
	}
}

func (r *gatedReader) Close() error { return r.rc.Close() }
