package learn

import (
	"context"
	"fmt"
	"sync"
	"time"

	"patrol-alpr/store"
)

// Outbox is the part of the store the syncer drains.
type Outbox interface {
	PendingOutbox(ctx context.Context, limit int) ([]store.OutboxItem, error)
	AckOutbox(ctx context.Context, seqs ...int64) error
}

// Sender delivers a batch and names the keys the server stored; Client is the real one.
type Sender interface {
	Send(ctx context.Context, b Batch) ([]string, error)
}

// Syncer drains the outbox to the server on a timer and remembers how the last attempt went.
type Syncer struct {
	Outbox   Outbox
	Sender   Sender        // nil: no server configured
	Vehicle  func() string // the car's unit number now; read at every batch, as shifts change it
	Every    time.Duration // between attempts; default 10 s
	Batch    int           // items per request; default 200
	Now      func() time.Time
	StaleAge time.Duration // the light turns red when no sync succeeded for this long; default 2 min

	mu      sync.Mutex
	lastOK  time.Time
	lastErr error
	pending int
	offline bool
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
	every := s.Every
	if every <= 0 {
		every = 10 * time.Second
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		_ = s.SyncOnce(ctx) // the outcome is kept for Status; errors are not fatal
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// SyncOnce sends everything pending, batch by batch, and acknowledges what the server stored.
func (s *Syncer) SyncOnce(ctx context.Context) error {
	s.mu.Lock()
	offline := s.offline
	s.mu.Unlock()
	if s.Sender == nil || offline {
		return nil
	}
	size := s.Batch
	if size <= 0 {
		size = 200
	}
	for {
		items, err := s.Outbox.PendingOutbox(ctx, size)
		if err != nil {
			return s.record(fmt.Errorf("read outbox: %w", err))
		}
		if len(items) == 0 {
			return s.record(nil)
		}
		b := Batch{Vehicle: s.vehicle(), Items: make([]Item, len(items))}
		seqByKey := make(map[string]int64, len(items))
		for i, it := range items {
			b.Items[i] = Item{Key: it.Key, Seq: it.Seq, Kind: it.Kind, CreatedAt: it.CreatedAt, Payload: it.Payload}
			seqByKey[it.Key] = it.Seq
		}
		stored, err := s.Sender.Send(ctx, b)
		if err != nil {
			return s.record(err)
		}
		acks := make([]int64, 0, len(stored))
		for _, k := range stored {
			if seq, ok := seqByKey[k]; ok {
				acks = append(acks, seq)
			}
		}
		if len(acks) == 0 {
			return s.record(fmt.Errorf("server stored none of %d items", len(items)))
		}
		if err := s.Outbox.AckOutbox(ctx, acks...); err != nil {
			return s.record(fmt.Errorf("acknowledge %d outbox items: %w", len(acks), err))
		}
		if len(items) < size {
			return s.record(nil)
		}
	}
}

func (s *Syncer) record(err error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lastErr = err
	if err == nil {
		s.lastOK = s.now()
	}
	return err
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

// Status is what the LEARN light shows: ok only when a server is configured, reachable, and
// has taken the outbox recently.
func (s *Syncer) Status() (ok bool, reason string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	stale := s.StaleAge
	if stale <= 0 {
		stale = 2 * time.Minute
	}
	switch {
	case s.Sender == nil:
		return false, "no LEARN server configured"
	case s.offline:
		return false, "server offline"
	case s.lastErr != nil:
		return false, "sync failed: " + s.lastErr.Error()
	case s.lastOK.IsZero():
		return false, "not yet synced"
	case s.now().Sub(s.lastOK) > stale:
		return false, fmt.Sprintf("no sync for %s", s.now().Sub(s.lastOK).Round(time.Second))
	}
	return true, "synced " + s.lastOK.Format("15:04:05")
}
