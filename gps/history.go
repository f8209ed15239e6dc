package gps

import (
	"sort"
	"time"

	"patrol-alpr/alpr"
)

// stamped is a fix with the local instant it was received: frames are stamped by the same
// local clock, so matching a frame to a fix compares like with like, whatever the GPS time.
type stamped struct {
	fix alpr.Fix
	at  time.Time
}

// history is a ring of the most recent fixes in the order they were received.
type history struct {
	ring  []stamped
	start int // index of the oldest entry
	n     int
}

func newHistory(capacity int) history { return history{ring: make([]stamped, capacity)} }

func (h *history) at(i int) *stamped { return &h.ring[(h.start+i)%len(h.ring)] }

// add records fix received at at. Several sentences of one epoch refine the same fix, so
// a fix with the time of the newest entry replaces it but keeps the instant the epoch
// first arrived, the one closest to when the position was true.
func (h *history) add(fix alpr.Fix, at time.Time) {
	if h.n > 0 {
		last := h.at(h.n - 1)
		switch {
		case at.Before(last.at):
			// The local clock went backwards (set by hand or by NTP): order is lost, so
			// forget rather than answer from a timeline that no longer holds.
			h.start, h.n = 0, 0
		case !fix.Time.IsZero() && fix.Time.Equal(last.fix.Time):
			last.fix = fix
			return
		}
	}
	if h.n == len(h.ring) {
		h.start = (h.start + 1) % len(h.ring)
		h.n--
	}
	*h.at(h.n) = stamped{fix: fix, at: at}
	h.n++
}

// lookup returns the fix current at t: the last one received at or before t, if it was
// received no more than maxAge before t.
func (h *history) lookup(t time.Time, maxAge time.Duration) (alpr.Fix, bool) {
	i := sort.Search(h.n, func(i int) bool { return h.at(i).at.After(t) }) - 1
	if i < 0 {
		return alpr.Fix{}, false
	}
	e := h.at(i)
	if t.Sub(e.at) > maxAge {
		return alpr.Fix{}, false
	}
	return e.fix, true
}
