package gps

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"patrol-alpr/alpr"
	"patrol-alpr/internal/ctxsleep"
)

// Defaults for Options.
const (
	DefaultStaleAfter = 3 * time.Second
	DefaultHistory    = 2 * time.Minute
	DefaultMinBackoff = 250 * time.Millisecond
	DefaultMaxBackoff = 5 * time.Second
)

// maxRate is the fastest receiver the history is sized for (10 Hz).
const maxRate = 10

// Options configure a Receiver. Only Source is required.
type Options struct {
	Source Source
	// Now is the local clock: receive times, the fix's age and FixAt all use it, and it
	// must be the clock that stamps camera frames. Default time.Now.
	Now func() time.Time
	// StaleAfter is the age beyond which a fix no longer counts: the GPS light turns red
	// and FixAt stops answering with it. Default 3 s.
	StaleAfter time.Duration
	// History is how far back FixAt can look (at least; at 1 Hz it reaches further).
	// Default 2 min.
	History time.Duration
	// MinBackoff and MaxBackoff bound the wait before reopening a failed source.
	MinBackoff, MaxBackoff time.Duration
}

// Receiver keeps the car's current GPS fix and a short history of fixes from one Source.
// Run does the reading; every other method is safe to call from any goroutine at any
// time, and never blocks on the source.
type Receiver struct {
	opt     Options
	running atomic.Bool

	mu      sync.Mutex
	dec     decoder
	open    bool
	openErr error // why the source could not be opened, for logs
	cur     alpr.Fix
	curAt   time.Time
	hist    history
}

// NewReceiver makes a Receiver for opt.Source; it reads nothing until Run.
func NewReceiver(opt Options) *Receiver {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.StaleAfter <= 0 {
		opt.StaleAfter = DefaultStaleAfter
	}
	if opt.History <= 0 {
		opt.History = DefaultHistory
	}
	if opt.MinBackoff <= 0 {
		opt.MinBackoff = DefaultMinBackoff
	}
	if opt.MaxBackoff < opt.MinBackoff {
		opt.MaxBackoff = max(DefaultMaxBackoff, opt.MinBackoff)
	}
	r := &Receiver{opt: opt, hist: newHistory(max(1, int(opt.History.Seconds()*maxRate)))}
	r.dec.onFix = r.publish
	return r
}

// ErrRunning is returned by a second concurrent call of Run.
var ErrRunning = errors.New("gps receiver already running")

// Run reads the source until ctx is cancelled, reopening it with backoff whenever it
// fails, and returns nil then; it also returns nil when a source reports ErrEnded.
func (r *Receiver) Run(ctx context.Context) error {
	if r.opt.Source == nil {
		return errors.New("gps receiver: no source configured")
	}
	if !r.running.CompareAndSwap(false, true) {
		return ErrRunning
	}
	defer r.running.Store(false)
	backoff := r.opt.MinBackoff
	for opened := 0; ; opened++ {
		if ctx.Err() != nil {
			return nil
		}
		if opened > 0 {
			r.mu.Lock()
			r.dec.stats.Reopens++
			r.mu.Unlock()
		}
		rc, err := r.opt.Source.Open(ctx)
		if errors.Is(err, ErrEnded) {
			r.setOpen(false, err)
			return nil
		}
		if err == nil {
			r.setOpen(true, nil)
			var good bool
			good, err = r.readStream(ctx, rc)
			if good {
				backoff = r.opt.MinBackoff // the source worked: a later failure starts over
			}
			err = fmt.Errorf("read %s: %w", r.opt.Source, err)
		}
		r.setOpen(false, err)
		if !ctxsleep.Sleep(ctx, backoff) {
			return nil
		}
		backoff = min(2*backoff, r.opt.MaxBackoff)
	}
}

// maxEmptyReads is how many reads in a row may return nothing before the stream is
// treated as broken rather than spun on.
const maxEmptyReads = 100

// readStream feeds rc to the decoder until it fails or ctx is cancelled, and closes it.
// It reports whether the stream carried at least one well-formed sentence, and why it
// stopped.
func (r *Receiver) readStream(ctx context.Context, rc io.ReadCloser) (bool, error) {
	closed := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		rc.Close() // unblocks the Read below
		close(closed)
	})
	defer func() {
		if stop() {
			rc.Close()
		} else {
			<-closed
		}
	}()
	r.mu.Lock()
	before := r.dec.stats.Sentences + r.dec.stats.Unsupported
	r.mu.Unlock()
	buf := make([]byte, 4096)
	for empty := 0; ; {
		n, err := rc.Read(buf)
		if n == 0 && err == nil {
			if empty++; empty >= maxEmptyReads {
				err = io.ErrNoProgress
			}
		} else {
			empty = 0
		}
		if err == nil && ctx.Err() != nil {
			err = ctx.Err()
		}
		r.mu.Lock()
		now := r.opt.Now()
		r.dec.feed(buf[:n], now)
		if err != nil {
			r.dec.flush(now)
		}
		good := r.dec.stats.Sentences+r.dec.stats.Unsupported > before
		r.mu.Unlock()
		if err != nil {
			return good, err
		}
	}
}

func (r *Receiver) setOpen(open bool, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.open, r.openErr = open, err
}

// publish makes fix, received at at, the current one. Called with r.mu held.
func (r *Receiver) publish(fix alpr.Fix, at time.Time) {
	r.cur, r.curAt = fix, at
	r.hist.add(fix, at)
}

// Current returns the newest fix and when it was received (zero before the first).
func (r *Receiver) Current() (alpr.Fix, time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.cur, r.curAt
}

// FixAt returns the fix current at t, a frame's capture time by the local clock: the last
// fix received at or before t, provided it was no older than StaleAfter then. Otherwise it
// returns the zero Fix, which marks the detection as having no position (policy II.C asks
// for the location; an invented or stale one would mislead an investigation).
func (r *Receiver) FixAt(t time.Time) alpr.Fix {
	r.mu.Lock()
	defer r.mu.Unlock()
	fix, _ := r.hist.lookup(t, r.opt.StaleAfter)
	return fix
}

// Status says whether the GPS light is green (policy III.C.6): only with a valid fix
// younger than StaleAfter. Otherwise reason says why, in words for the officer: "no port",
// "no data", "no fix" or "stale (N s)".
func (r *Receiver) Status(now time.Time) (ok bool, reason string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	age := now.Sub(r.curAt)
	switch {
	case !r.open:
		return false, "no port"
	case r.cur.Valid() && age <= r.opt.StaleAfter:
		return true, ""
	case r.cur.Valid():
		return false, fmt.Sprintf("stale (%d s)", int(age/time.Second))
	case r.dec.lastData.IsZero() || now.Sub(r.dec.lastData) > r.opt.StaleAfter:
		return false, "no data"
	default:
		return false, "no fix"
	}
}

// Err returns why the source is not open (nil while it is), for the log behind the light.
func (r *Receiver) Err() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.openErr
}

// Stats returns the counters so far.
func (r *Receiver) Stats() Stats {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.dec.stats
}
