package camera

import (
	"context"
	"errors"
	"sync"

	"gocv.io/x/gocv"
)

// fakeSource stands in for a camera device, which cannot exist here: it can
// be unplugged (Open and Read fail) and plugged back, and can stall.
type fakeSource struct {
	mu      sync.Mutex
	down    bool
	stalled chan struct{} // non-nil: Read blocks until it is closed
	opened  int
	isOpen  bool
}

var errUnplugged = errors.New("device unplugged")

func (f *fakeSource) set(down bool) {
	f.mu.Lock()
	f.down = down
	f.mu.Unlock()
}

func (f *fakeSource) Open(ctx context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.down {
		return errUnplugged
	}
	f.opened++
	f.isOpen = true
	return nil
}

func (f *fakeSource) Read(dst *gocv.Mat) error {
	f.mu.Lock()
	stall, down, open := f.stalled, f.down, f.isOpen
	f.mu.Unlock()
	if stall != nil {
		<-stall
	}
	if down || !open {
		return errUnplugged
	}
	// A small real frame: the consumer gets a Mat it can Close like any other.
	m := gocv.NewMatWithSizeFromScalar(gocv.NewScalar(40, 80, 120, 0), 48, 64, gocv.MatTypeCV8UC3)
	defer m.Close()
	m.CopyTo(dst)
	return nil
}

func (f *fakeSource) Close() error {
	f.mu.Lock()
	f.isOpen = false
	f.mu.Unlock()
	return nil
}
