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

// CameraProbe turns a camera's health into its light. A green light says what it measures,
// "Cam-1 14 fps, last read 3 s ago": the frames a second since the probe last looked, and
// how long since the camera's last plate read (lastRead; zero before the first).
func CameraProbe(name string, health func() camera.Health, lastRead func() time.Time) func(time.Time) (Level, string) {
	var prevAt time.Time
	var prevFrames uint64
	return func(now time.Time) (Level, string) {
		h := health()
		fps := -1.0
		if dt := now.Sub(prevAt).Seconds(); !prevAt.IsZero() && dt > 0 && h.Frames >= prevFrames {
			fps = float64(h.Frames-prevFrames) / dt
		}
		prevAt, prevFrames = now, h.Frames
		switch h.State {
		case camera.OK:
			return Green, name + " " + rateAndRead(fps, h.Frames, now, lastRead())
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

// rateAndRead says how fast a camera delivers and when it last read a plate.
func rateAndRead(fps float64, frames uint64, now, lastRead time.Time) string {
	rate := fmt.Sprintf("%d frames so far", frames)
	if fps >= 0 {
		rate = fmt.Sprintf("%.0f fps", fps)
	}
	switch {
	case lastRead.IsZero():
		return rate + ", no plate read yet"
	case now.Sub(lastRead) < time.Minute:
		return fmt.Sprintf("%s, last read %d s ago", rate, int(now.Sub(lastRead).Seconds()))
	}
	return fmt.Sprintf("%s, last read %s ago", rate, now.Sub(lastRead).Round(time.Minute))
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
