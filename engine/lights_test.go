package engine

import (
	"testing"
	"time"

	"patrol-alpr/camera"
)

// TestCameraProbeSaysWhatItMeasures: a green camera light says its frame rate and how long
// since its last plate read, which is what an officer hovering over it wants to know.
func TestCameraProbeSaysWhatItMeasures(t *testing.T) {
	t0 := time.Date(2026, 12, 4, 21, 0, 0, 0, time.UTC)
	cases := []struct {
		name     string
		frames   [2]uint64 // at the first and the second look, 2 s apart
		state    camera.State
		lastRead time.Time
		want     string
		level    Level
	}{
		{"reading", [2]uint64{100, 128}, camera.OK, t0.Add(-1 * time.Second), "Cam-1 14 fps, last read 3 s ago", Green},
		{"no plate yet", [2]uint64{0, 30}, camera.OK, time.Time{}, "Cam-1 15 fps, no plate read yet", Green},
		{"a quiet road", [2]uint64{0, 20}, camera.OK, t0.Add(-10 * time.Minute), "Cam-1 10 fps, last read 10m0s ago", Green},
		{"no signal", [2]uint64{5, 5}, camera.NoSignal, time.Time{}, "no signal", Red},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := camera.Health{State: c.state}
			probe := CameraProbe("Cam-1", func() camera.Health { return h }, func() time.Time { return c.lastRead })
			h.Frames = c.frames[0]
			probe(t0)
			h.Frames = c.frames[1]
			level, reason := probe(t0.Add(2 * time.Second))
			if level != c.level || reason != c.want {
				t.Errorf("light %v %q, want %v %q", level, reason, c.level, c.want)
			}
		})
	}
}
