package learn

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"patrol-alpr/store"
	"patrol-alpr/wire"
)

// Outbox is the part of the store the syncer drains.
type Outbox interface {
	PendingOutbox(ctx context.Context, limit int) ([]store.OutboxItem, error)
	AckOutbox(ctx context.Context, seqs ...int64) error
	OutboxLen(ctx context.Context) (int64, error)
	OldestPending(ctx context.Context) (time.Time, error)
	DetectionImages(ctx context.Context, uuid string) (plate, scene []byte, err error)
}

// Sender delivers a batch and names the keys the server stored; Client is the real one.
type Sender interface {
	Send(ctx context.Context, b Batch) ([]string, error)
}

// State is how the sync stands, for the LEARN light.
type State int

// States, best first.
const (
	Synced     State = iota // green: the server holds everything
	CatchingUp              // amber: items wait, and the server took some within StaleAge
	Failing                 // red: nothing succeeded for StaleAge, or no server
)

func (s State) String() string { return [...]string{"synced", "catching up", "failing"}[s] }

// Health is what the LEARN light shows.
type Health struct {
	State   State
	Reason  string
	Backlog int64 // items not yet on the server
}

// Syncer drains the outbox to the server and remembers how it went. After a failure it
// waits longer each time (doubling from Every up to MaxBackoff, with jitter so a fleet
// coming back from an outage does not arrive at once), and at least what a busy server asks.
type Syncer struct {
	Outbox      Outbox
	Sender      Sender        // nil: no server configured
	Vehicle     func() string // the car's unit number now; read at every batch, as shifts change it
	Every       time.Duration // between attempts; default 10 s
	MaxBackoff  time.Duration // longest wait after failures; default 5 min
	Batch       int           // items per request at most; default 200
	MaxBytes    int           // request size to stay under (images included); default 4 MiB
	WarnBacklog int64         // warn when more items than this wait; default 20,000
	Now         func() time.Time
	StaleAge    time.Duration  // the light turns red when no sync succeeded for this long; default 2 min
	Jitter      func() float64 // in [0,1); default math/rand

	mu       sync.Mutex
	started  time.Time
	lastOK   time.Time
	lastErr  error
	backlog  int64
	offline  bool
	failures int
	nextTry  time.Time
}

// SetOffline simulates (classroom) or records a known loss of the network: no attempts are
// made and the light says so.
func (s *Syncer) SetOffline(off bool) {
	s.mu.Lock()
	s.offline = off
	s.mu.Unlock()
}

// Run syncs until ctx is cancelled.
func (s *Syncer) Run(ctx context.Context) error {
	every := s.every()
	s.mu.Lock()
	if s.started.IsZero() {
		s.started = s.now()
	}
	s.mu.Unlock()
	t := time.NewTicker(min(every, time.Second))
	defer t.Stop()
	for {
		if s.due() {
			_ = s.SyncOnce(ctx) // the outcome is kept for Health; errors are not fatal
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// due says whether an attempt may be made now: the interval has passed, and any back-off.
func (s *Syncer) due() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return !s.now().Before(s.nextTry)
}

// SyncOnce sends everything pending, batch by batch, and acknowledges what the server stored.
func (s *Syncer) SyncOnce(ctx context.Context) error {
	s.mu.Lock()
	offline := s.offline
	if s.started.IsZero() {
		s.started = s.now()
	}
	s.mu.Unlock()
	if s.Sender == nil || offline {
		return nil
	}
	for {
		n, more, err := s.sendBatch(ctx)
		if err != nil {
			return s.record(ctx, err)
		}
		if n == 0 || !more {
			return s.record(ctx, nil)
		}
	}
}

// sendBatch sends one batch: the oldest items, with their images, up to the size limits.
// more says whether items were left out for size.
func (s *Syncer) sendBatch(ctx context.Context) (n int, more bool, err error) {
	size := s.Batch
	if size <= 0 || size > wire.MaxItems {
		size = 200
	}
	maxBytes := s.MaxBytes
	if maxBytes <= 0 {
		maxBytes = 4 << 20
	}
	items, err := s.Outbox.PendingOutbox(ctx, size)
	if err != nil {
		return 0, false, fmt.Errorf("read outbox: %w", err)
	}
	if len(items) == 0 {
		return 0, false, nil
	}
	backlog, err := s.Outbox.OutboxLen(ctx)
	if err != nil {
		return 0, false, err
	}
	oldest, err := s.Outbox.OldestPending(ctx)
	if err != nil {
		return 0, false, err
	}
	b := Batch{Vehicle: s.vehicle(), Backlog: backlog, Items: make([]Item, 0, len(items))}
	if !oldest.IsZero() {
		b.OldestUnsent = s.now().Sub(oldest).Seconds()
	}
	seqByKey := make(map[string]int64, len(items))
	bytes := 0
	for _, it := range items {
		wi := Item{Key: it.Key, Seq: it.Seq, Kind: it.Kind, CreatedAt: it.CreatedAt, Operator: it.Operator, Payload: it.Payload}
		if it.Kind == store.KindDetection {
			if wi.Images, err = s.images(ctx, it); err != nil {
				return 0, false, err
			}
		}
		cost := len(it.Payload) + 256
		for _, im := range wi.Images {
			cost += len(im.Data)*4/3 + 128 // base64
		}
		if len(b.Items) > 0 && bytes+cost > maxBytes {
			more = true
			break
		}
		bytes += cost
		b.Items = append(b.Items, wi)
		seqByKey[it.Key] = it.Seq
	}
	more = more || len(items) == size
	stored, err := s.Sender.Send(ctx, b)
	if err != nil {
		return 0, false, err
	}
	acks := make([]int64, 0, len(stored))
	for _, k := range stored {
		if seq, ok := seqByKey[k]; ok {
			acks = append(acks, seq)
		}
	}
	if len(acks) == 0 {
		return 0, false, fmt.Errorf("server stored none of %d items", len(b.Items))
	}
	if err := s.Outbox.AckOutbox(ctx, acks...); err != nil {
		return 0, false, fmt.Errorf("acknowledge %d outbox items: %w", len(acks), err)
	}
	return len(acks), more, nil
}

// images loads a detection's plate crop and scene to travel with it.
func (s *Syncer) images(ctx context.Context, it store.OutboxItem) ([]wire.Image, error) {
	var d struct {
		UUID string `json:"uuid"`
	}
	if err := json.Unmarshal(it.Payload, &d); err != nil || d.UUID == "" {
		return nil, nil // a payload without a UUID carries no images; the server will say what is wrong
	}
	plate, scene, err := s.Outbox.DetectionImages(ctx, d.UUID)
	if err != nil {
		return nil, err
	}
	var out []wire.Image
	if len(plate) > 0 {
		out = append(out, wire.NewImage(wire.ImagePlate, plate))
	}
	if len(scene) > 0 {
		out = append(out, wire.NewImage(wire.ImageScene, scene))
	}
	return out, nil
}

// record keeps the outcome for Health and schedules the next attempt.
func (s *Syncer) record(ctx context.Context, err error) error {
	backlog, lerr := s.Outbox.OutboxLen(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	if lerr == nil {
		s.backlog = backlog
	}
	s.lastErr = err
	now := s.now()
	if err == nil {
		s.lastOK, s.failures, s.nextTry = now, 0, now.Add(s.every())
		return nil
	}
	s.failures++
	wait := s.every() << min(s.failures-1, 16)
	if mb := s.maxBackoff(); wait > mb {
		wait = mb
	}
	jitter := rand.Float64
	if s.Jitter != nil {
		jitter = s.Jitter
	}
	wait = time.Duration(float64(wait) * (0.5 + jitter())) // 50-150 %
	if busy := (*BusyError)(nil); errors.As(err, &busy) && wait < busy.RetryAfter {
		wait = busy.RetryAfter
	}
	s.nextTry = now.Add(wait)
	return err
}

// NextAttempt is when the syncer will try again (zero: at its next tick).
func (s *Syncer) NextAttempt() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nextTry
}

func (s *Syncer) every() time.Duration {
	if s.Every <= 0 {
		return 10 * time.Second
	}
	return s.Every
}

func (s *Syncer) maxBackoff() time.Duration {
	if s.MaxBackoff <= 0 {
		return 5 * time.Minute
	}
	return s.MaxBackoff
}

func (s *Syncer) vehicle() string {
	if s.Vehicle == nil {
		return ""
	}
	return s.Vehicle()
}

func (s *Syncer) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Health says how the sync stands: green when the server holds everything, amber with the
// backlog while catching up, red with the reason once nothing succeeded for StaleAge (two
// minutes); and a warning when the outbox grows past WarnBacklog.
func (s *Syncer) Health() Health {
	s.mu.Lock()
	defer s.mu.Unlock()
	stale := s.StaleAge
	if stale <= 0 {
		stale = 2 * time.Minute
	}
	warn := s.WarnBacklog
	if warn <= 0 {
		warn = 20000
	}
	h := Health{Backlog: s.backlog}
	now := s.now()
	since := s.lastOK
	if since.IsZero() {
		since = s.started
	}
	switch {
	case s.Sender == nil:
		h.State, h.Reason = Failing, "no LEARN server configured"
	case s.offline:
		h.State, h.Reason = Failing, "server offline"
	case !since.IsZero() && now.Sub(since) > stale:
		h.State = Failing
		if s.lastOK.IsZero() {
			h.Reason = fmt.Sprintf("never synced in %s", now.Sub(since).Round(time.Second))
		} else {
			h.Reason = fmt.Sprintf("no sync for %s", now.Sub(since).Round(time.Second))
		}
		if s.lastErr != nil {
			h.Reason += ": " + s.lastErr.Error()
		}
		h.Reason += fmt.Sprintf(" (%d waiting)", s.backlog)
	case s.lastOK.IsZero() && s.lastErr == nil:
		h.State, h.Reason = CatchingUp, "connecting"
	case s.backlog > 0 || s.lastErr != nil:
		h.State, h.Reason = CatchingUp, fmt.Sprintf("catching up: %d waiting", s.backlog)
		if s.lastErr != nil {
			h.Reason += "; retrying: " + s.lastErr.Error()
		}
	default:
		h.State, h.Reason = Synced, "synced "+s.lastOK.Local().Format("15:04:05")
	}
	if s.backlog > warn && h.State != Failing {
		h.State = CatchingUp
		h.Reason = fmt.Sprintf("outbox holds %d items (warning above %d); ", s.backlog, warn) + h.Reason
	}
	return h
}

// Status is Health as ok/reason: ok unless failing.
func (s *Syncer) Status() (ok bool, reason string) {
	h := s.Health()
	return h.State != Failing, h.Reason
}
