package camera

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"patrol-alpr/alpr"
	"patrol-alpr/internal/ctxsleep"
)

// Options tunes a Camera. Zero values take the defaults noted.
type Options struct {
	FPS           float64          // read at most this often; 0: as fast as the feed gives frames
	Now           func() time.Time // the clock stamping frames and health; time.Now
	NoSignalAfter time.Duration    // no frame for this long turns the light to no signal; 2 s
	MinBackoff    time.Duration    // first wait before reopening a failed feed; 250 ms
	MaxBackoff    time.Duration    // the wait doubles up to this; 10 s
}

// Camera runs one Source in its own goroutine and keeps only its newest
// frame: when the consumer falls behind, older frames are dropped (and
// counted) rather than queued, so the reader always sees the present.
type Camera struct {
	id     alpr.CameraID
	src    Source
	opt    Options
	cancel context.CancelFunc
	done   chan struct{}
	ready  chan struct{} // holds a token while slot has a frame
	once   sync.Once
	mats   *matPool // images of frames closed, read into again

	mu     sync.Mutex
	slot   *Frame // the newest frame not yet taken
	health Health
}

// ErrClosed is returned by Next after Close.
var ErrClosed = errors.New("camera closed")

// Start opens src and reads it in a goroutine until ctx is cancelled or
// Close is called. It never blocks on the feed: a dead device shows up in
// Health, not as an error here.
func Start(ctx context.Context, id alpr.CameraID, src Source, opt Options) *Camera {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.NoSignalAfter <= 0 {
		opt.NoSignalAfter = 2 * time.Second
	}
	if opt.MinBackoff <= 0 {
		opt.MinBackoff = 250 * time.Millisecond
	}
	if opt.MaxBackoff < opt.MinBackoff {
		opt.MaxBackoff = max(10*time.Second, opt.MinBackoff)
	}
	ctx, cancel := context.WithCancel(ctx)
	c := &Camera{
		id: id, src: src, opt: opt, cancel: cancel,
		done:  make(chan struct{}),
		ready: make(chan struct{}, 1),
		// Frames alive at once: the one in the slot, the one the camera reads into, and
		// the engine's: the one on its way to the pane, the one waiting for the reader
		// and the one it reads.
		mats: newMatPool(5),
	}
	c.health = Health{State: NoSignal, Reason: "starting", Since: opt.Now()}
	go c.run(ctx)
	return c
}

// ID is the camera's pane name.
func (c *Camera) ID() alpr.CameraID { return c.id }

// Next waits for a frame newer than the last one taken and hands it over:
// the caller must Close it.
func (c *Camera) Next(ctx context.Context) (Frame, error) {
	for {
		c.mu.Lock()
		if f := c.slot; f != nil {
			c.slot = nil
			c.mu.Unlock()
			return *f, nil
		}
		c.mu.Unlock()
		select {
		case <-c.ready:
		case <-ctx.Done():
			return Frame{}, fmt.Errorf("next frame from %s: %w", c.id, ctx.Err())
		case <-c.done:
			return Frame{}, fmt.Errorf("next frame from %s: %w", c.id, ErrClosed)
		}
	}
}

// Health reports the camera's state now.
func (c *Camera) Health() Health {
	c.mu.Lock()
	defer c.mu.Unlock()
	h := c.health
	now := c.opt.Now()
	if h.State == OK && now.Sub(h.LastFrame) > c.opt.NoSignalAfter {
		h.State = NoSignal
		h.Since = h.LastFrame.Add(c.opt.NoSignalAfter)
		h.Reason = fmt.Sprintf("no picture for %.0f s", now.Sub(h.LastFrame).Seconds())
	}
	if h.State == NoSignal && h.LastFrame.IsZero() && now.Sub(h.Since) > c.opt.NoSignalAfter {
		h.Reason = "no picture yet"
	}
	return h
}

// Close stops the camera, waits for its goroutine (and so for a Read in
// progress) and frees the frame it still holds.
func (c *Camera) Close() error {
	c.once.Do(func() {
		c.cancel()
		<-c.done
		c.mu.Lock()
		if c.slot != nil {
			c.slot.Close()
			c.slot = nil
		}
		c.health.State, c.health.Reason, c.health.Since = Stopped, "", c.opt.Now()
		c.mu.Unlock()
		c.mats.close() // frames still held are freed when their holders close them
	})
	return nil
}

// run is the camera's goroutine: open, read, hand over, and on failure close
// and reopen after a backoff that doubles up to MaxBackoff.
func (c *Camera) run(ctx context.Context) {
	defer close(c.done)
	backoff := c.opt.MinBackoff
	open := false
	defer func() {
		if open {
			c.src.Close()
		}
	}()
	var seq uint64
	var nextRead time.Time
	for ctx.Err() == nil {
		if !open {
			if err := c.src.Open(ctx); err != nil {
				c.fail(err)
				if !ctxsleep.Sleep(ctx, backoff) {
					return
				}
				backoff = min(2*backoff, c.opt.MaxBackoff)
				continue
			}
			open = true
		}
		if c.opt.FPS > 0 {
			if !ctxsleep.Sleep(ctx, time.Until(nextRead)) {
				return
			}
			nextRead = nextReadAfter(nextRead, time.Now(), time.Duration(float64(time.Second)/c.opt.FPS))
		}
		img := c.mats.get()
		err := c.src.Read(&img)
		if err == nil && img.Empty() {
			err = fmt.Errorf("read %s: %w (empty picture)", c.id, ErrNoFrames)
		}
		switch {
		case err == nil:
			seq++
			backoff = c.opt.MinBackoff
			c.put(Frame{Camera: c.id, Seq: seq, At: c.opt.Now(), Img: img, pool: c.mats})
		case errors.Is(err, ErrBadFrame):
			c.mats.put(img)
			c.mu.Lock()
			c.health.BadFrames++
			c.mu.Unlock()
		default:
			c.mats.put(img)
			c.src.Close()
			open = false
			c.fail(err)
			if !ctxsleep.Sleep(ctx, backoff) {
				return
			}
			backoff = min(2*backoff, c.opt.MaxBackoff)
		}
	}
}

// nextReadAfter is when to read the frame after one due at prev, read at now: a period
// after prev, so that a sleep's lateness (a millisecond or more a frame on a busy
// computer) is made up and the camera keeps its rate (counted from now, 15 frames a
// second came out at 14); but a period after now when the read is a period or more late,
// after a stall or a reconnection, so that the frames missed are not read in a burst.
func nextReadAfter(prev, now time.Time, period time.Duration) time.Time {
	next := prev.Add(period)
	if next.Before(now) {
		return now.Add(period)
	}
	return next
}

// put makes f the newest frame, dropping an untaken older one.
func (c *Camera) put(f Frame) {
	c.mu.Lock()
	if c.slot != nil {
		c.slot.Close()
		c.health.Dropped++
	}
	c.slot = &f
	h := &c.health
	h.Frames++
	h.LastFrame = f.At
	if h.State != OK {
		h.State, h.Reason, h.Err, h.Since = OK, "", nil, f.At
	}
	c.mu.Unlock()
	select {
	case c.ready <- struct{}{}:
	default:
	}
}

// fail records that the feed failed and will be reopened.
func (c *Camera) fail(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	h := &c.health
	if h.State != Reconnecting {
		h.Since = c.opt.Now()
	}
	h.State, h.Reason, h.Err = Reconnecting, plainReason(err)+"; reconnecting", err
	h.Failures++
}
