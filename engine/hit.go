package engine

import (
	"context"
	"sync"
	"time"

	"patrol-alpr/alpr"
)

// hitLog remembers when each listed plate last raised an alert, across cameras.
type hitLog struct {
	mu   sync.Mutex
	last map[string]time.Time
}

// allow reports whether key may alert at now, and if so records it.
func (h *hitLog) allow(key string, now time.Time, cooldown time.Duration) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.last == nil {
		h.last = map[string]time.Time{}
	}
	if t, ok := h.last[key]; ok && now.Sub(t) < cooldown {
		return false
	}
	for k, t := range h.last {
		if now.Sub(t) >= cooldown {
			delete(h.last, k)
		}
	}
	h.last[key] = now
	return true
}

// raise records one hit per matching hot entry and puts it in front of the officer, highest
// priority first (the matcher's order). late marks hits found when a list changed after the
// plate went by.
func (e *Engine) raise(ctx context.Context, d alpr.Detection, matches []alpr.Match, late bool) {
	cooldown := e.HitCooldown
	if cooldown <= 0 {
		cooldown = 2 * time.Minute
	}
	vehicle, _ := e.vehicle()
	for _, m := range matches {
		now := e.now()
		if !e.hits.allow(m.Entry.List+"|"+m.Entry.Plate+"|"+m.Entry.State, now, cooldown) {
			continue
		}
		h := alpr.Hit{
			DetectionID: d.ID, DetectionUUID: d.UUID, Match: m,
			RaisedAt: now, Late: late, VehicleNumber: vehicle,
		}
		if err := e.Recorder.SaveHit(ctx, &h); err != nil {
			// The officer is still alerted: a hit the disk could not keep is still a hit.
			e.log().Error("save hit", "plate", d.Plate, "list", m.Entry.List, "err", err)
		}
		e.Screen.RaiseHit(h, d)
	}
}

// RaiseLate raises the hits found by matching an earlier detection again after a hot list
// changed; the plate went by before the list arrived.
func (e *Engine) RaiseLate(ctx context.Context, d alpr.Detection, matches []alpr.Match) {
	e.raise(ctx, d, matches, true)
}
