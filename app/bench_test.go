package app

import (
	"image"
	"slices"
	"testing"
	"time"

	"patrol-alpr/alpr"
)

// BenchmarkShowFrame measures what the UI thread spends per camera frame: taking the
// newest frame, fitting it and its plate boxes, and refreshing the pane (the GPU upload
// is the driver's). Reported as frames/s over all three panes.
func BenchmarkShowFrame(b *testing.B) {
	f := newFixture(b, func(d *Deps) { d.FramePasses = -1 }) // a pass for every frame
	f.signIn(officer)
	frames := make([]*image.RGBA, 4)
	for i := range frames {
		frames[i] = scene(640, 480, image.Rect(200+i*10, 300, 320+i*10, 330))
	}
	box := []image.Rectangle{image.Rect(200, 300, 320, 330)}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		f.u.ShowFrame(alpr.Cameras[i%3], frames[i%len(frames)], box, "7ABC123")
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "frames/s")
}

// BenchmarkRaiseHit measures the screen's share of frame-to-alert: decoding the plate
// and scene pictures and putting the alert over everything. Reports the 95th
// percentile in milliseconds (p95-ms) beside the mean.
func BenchmarkRaiseHit(b *testing.B) {
	f := newFixture(b, nil)
	f.signIn(officer)
	h, d := f.saveHit("7A8C123", "NV", stolen, alpr.Match{Kind: alpr.MatchNear, Differs: []int{2}, State: alpr.StateMismatch})
	var took []time.Duration
	for i := 0; b.Loop(); i++ {
		h.ID = int64(1_000_000 + i) // a new hit each time; never saved, so it is dropped below
		start := time.Now()
		f.u.RaiseHit(h, d)
		if f.u.alerts.pop == nil || !f.u.alerts.pop.Visible() {
			b.Fatal("no alert")
		}
		took = append(took, time.Since(start))
		f.u.alerts.saved(h.ID)
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)*95/100])/float64(time.Millisecond), "p95-ms")
}
