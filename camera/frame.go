package camera

import (
	"sync"
	"time"

	"gocv.io/x/gocv"

	"patrol-alpr/alpr"
)

// Frame is one picture from a camera. Img is BGR and owned by whoever holds
// the Frame: they must Close it, once.
type Frame struct {
	Camera alpr.CameraID
	Seq    uint64    // counts frames read from this camera, from 1; gaps are dropped frames
	At     time.Time // capture time, from the Camera's clock
	Img    gocv.Mat

	pool *matPool // where Close returns Img for the camera's next frame; nil: Close frees it
}

// Close frees the frame's image, or gives it back to its camera to fill again.
func (f *Frame) Close() error {
	if f.pool != nil {
		f.pool.put(f.Img)
		return nil
	}
	return f.Img.Close()
}

// matPool keeps the images of frames closed, for a camera to read its next frames into.
// A 720p frame is 2.7 MB of C memory; three cameras at 15 frames a second allocating a
// new one each frame and freeing it a reader later left the C allocator's heap
// fragmented and hundreds of megabytes resident, and handing such blocks back to the
// system each time (a lower mmap threshold) cost more in page faults than the reading.
type matPool struct {
	mu     sync.Mutex
	free   []gocv.Mat
	max    int
	closed bool
}

func newMatPool(max int) *matPool { return &matPool{max: max} }

// get is an image to read a frame into: one given back, or a new one.
func (p *matPool) get() gocv.Mat {
	p.mu.Lock()
	defer p.mu.Unlock()
	if n := len(p.free); n > 0 {
		m := p.free[n-1]
		p.free = p.free[:n-1]
		return m
	}
	return gocv.NewMat()
}

// put keeps m for get, or frees it when the pool is full or closed.
func (p *matPool) put(m gocv.Mat) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed || len(p.free) >= p.max {
		m.Close()
		return
	}
	p.free = append(p.free, m)
}

// close frees the images kept, and from now on every image given back.
func (p *matPool) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, m := range p.free {
		m.Close()
	}
	p.free, p.closed = nil, true
}
