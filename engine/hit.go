package engine

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"patrol-alpr/alpr"
)

// HitRecorder keeps hits (store.DB implements it).
type HitRecorder interface {
	SaveHit(ctx context.Context, h *alpr.Hit) error
}

// HitScreen shows a hit to the officer.
type HitScreen interface {
	RaiseHit(h alpr.Hit, d alpr.Detection)
}

// Alerter records hits and puts them in front of the officer, once per listed plate per
// cooldown, whether they come from a camera read or from matching earlier reads again when a
// list changed (late hits). One Alerter serves the whole run of the app.
type Alerter struct {
	Recorder HitRecorder
	Screen   HitScreen
	Shift    Shift // nil: hits carry no vehicle number
	Log      *slog.Logger
	Now      func() time.Time
	// Cooldown stops the same listed plate raising a second alert from another camera or a
	// second pass this soon after the first (default 2 min); the detection is still kept.
	Cooldown time.Duration

	mu    sync.Mutex
	last  map[string]time.Time // listed entry -> when it last alerted
	shown map[string]bool      // network hits shown, by UUID
}

// Raise records one hit per matching hot entry and shows it, highest priority first (the
// matcher's order). late marks hits found when a list changed after the plate went by.
func (a *Alerter) Raise(ctx context.Context, d alpr.Detection, matches []alpr.Match, late bool) {
	var vehicle string
	if a.Shift != nil {
		vehicle = a.Shift.Current().VehicleNumber
	}
	for _, m := range matches {
		now := a.now()
		if !a.allow(m.Entry.List+"|"+m.Entry.Plate+"|"+m.Entry.State, now) {
			continue
		}
		h := alpr.Hit{
			DetectionID: d.ID, DetectionUUID: d.UUID, Match: m,
			RaisedAt: now, Late: late, VehicleNumber: vehicle,
		}
		if err := a.Recorder.SaveHit(ctx, &h); err != nil {
			// The officer is still alerted: a hit the disk could not keep is still a hit.
			a.log().Error("save hit", "plate", d.Plate, "list", m.Entry.List, "err", err)
		}
		a.Screen.RaiseHit(h, d)
	}
}

// allow reports whether key may alert at now, and if so records it.
func (a *Alerter) allow(key string, now time.Time) bool {
	cooldown := a.Cooldown
	if cooldown <= 0 {
		cooldown = 2 * time.Minute
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.last == nil {
		a.last = map[string]time.Time{}
	}
	if t, ok := a.last[key]; ok && now.Sub(t) < cooldown {
		return false
	}
	for k, t := range a.last {
		if now.Sub(t) >= cooldown {
			delete(a.last, k)
		}
	}
	a.last[key] = now
	return true
}

func (a *Alerter) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

func (a *Alerter) log() *slog.Logger {
	if a.Log != nil {
		return a.Log
	}
	return slog.Default()
}

// RaiseNetwork records a hit found at the agency server (h.Network set: another car or a
// fixed camera saw the plate) and shows it like the car's own. The server may send one
// again after a reconnect; a hit already shown is not shown twice.
func (a *Alerter) RaiseNetwork(ctx context.Context, h alpr.Hit, d alpr.Detection) {
	a.mu.Lock()
	if a.shown == nil {
		a.shown = map[string]bool{}
	}
	if a.shown[h.UUID] {
		a.mu.Unlock()
		return
	}
	a.shown[h.UUID] = true
	a.mu.Unlock()
	if a.Shift != nil {
		h.VehicleNumber = a.Shift.Current().VehicleNumber
	}
	if h.RaisedAt.IsZero() {
		h.RaisedAt = a.now()
	}
	if err := a.Recorder.SaveHit(ctx, &h); err != nil {
		a.log().Error("save network hit", "plate", d.Plate, "list", h.Match.Entry.List, "err", err)
	}
	a.Screen.RaiseHit(h, d)
}
