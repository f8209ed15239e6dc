package engine

import (
	"context"
	"fmt"
	"strings"
	"time"

	"patrol-alpr/camera"
)

// Level is the colour of a status light (policy III.C.6: all six green means operational).
type Level int

// Light colours, best first so a larger value is worse.
const (
	Green Level = iota
	Amber       // working, degraded: the officer should know
	Red         // not working
)

func (l Level) String() string { return [...]string{"green", "amber", "red"}[l] }

// Probe checks one light.
type Probe struct {
	Name  string
	Check func(now time.Time) (Level, string)
}

// WatchLights runs every probe each interval and reports changes (and everything at the
// start) to set, until ctx is cancelled.
func WatchLights(ctx context.Context, every time.Duration, now func() time.Time, probes []Probe, set func(name string, l Level, reason string)) {
	type shown struct {
		l      Level
		reason string
	}
	last := map[string]shown{}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		t := now()
		for _, p := range probes {
			l, reason := p.Check(t)
			if s, ok := last[p.Name]; ok && s == (shown{l, reason}) {
				continue
			}
			last[p.Name] = shown{l, reason}
			set(p.Name, l, reason)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// CameraProbe turns a camera's health into its light.
func CameraProbe(health func() camera.Health) func(time.Time) (Level, string) {
	return func(time.Time) (Level, string) {
		h := health()
		switch h.State {
		case camera.OK:
			return Green, fmt.Sprintf("OK, %d frames", h.Frames)
		case camera.Stopped:
			if h.Reason != "" { // a pane whose feed could not be started, with why
				return Red, h.Reason
			}
			return Red, "cameras not activated"
		default:
			if h.Reason == "" {
				return Red, h.State.String()
			}
			return Red, h.State.String() + ": " + h.Reason
		}
	}
}

// OKProbe turns a (ok, reason) status into a green or red light.
func OKProbe(status func(now time.Time) (bool, string)) func(time.Time) (Level, string) {
	return func(now time.Time) (Level, string) {
		ok, reason := status(now)
		if ok {
			return Green, reason
		}
		return Red, reason
	}
}

// Check is one of the conditions the System light sums up.
type Check func(now time.Time) (Level, string)

// SystemProbe shows the worst of several checks, with the reasons of every check not green.
func SystemProbe(checks ...Check) func(time.Time) (Level, string) {
	return func(now time.Time) (Level, string) {
		worst := Green
		var reasons []string
		for _, c := range checks {
			l, r := c(now)
			if l > worst {
				worst = l
			}
			if l != Green && r != "" {
				reasons = append(reasons, r)
			}
		}
		if worst == Green {
			return Green, "all checks passed"
		}
		return worst, strings.Join(reasons, "; ")
	}
}
