package camera

import (
	"context"
	"errors"
	"patrol-alpr/internal/testclock"
	"testing"
	"time"

	"patrol-alpr/alpr"
)

func fastOptions() Options {
	return Options{MinBackoff: 5 * time.Millisecond, MaxBackoff: 40 * time.Millisecond}
}

// waitFor polls cond until it holds or the test's patience runs out.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// A feed that fails and comes back turns the light red, then green again,
// without anyone restarting it (issue 3: unplugged device, no crash, no leak).
func TestCameraRecoversAfterFailure(t *testing.T) {
	src := &fakeSource{}
	cam := Start(context.Background(), alpr.Cam2, src, fastOptions())
	defer cam.Close()
	ctx := context.Background()

	f, err := cam.Next(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if f.Camera != alpr.Cam2 || f.Img.Empty() || f.Seq == 0 {
		t.Errorf("frame %+v: want a picture from Cam-2 with a sequence number", f)
	}
	f.Close()
	waitFor(t, "OK", func() bool { return cam.Health().State == OK })

	src.set(true)
	waitFor(t, "reconnecting", func() bool { return cam.Health().State == Reconnecting })
	h := cam.Health()
	if !errors.Is(h.Err, errUnplugged) || h.Reason == "" {
		t.Errorf("health %+v: want the unplug as Err and a plain reason", h)
	}
	failures := h.Failures
	waitFor(t, "repeated reopen attempts", func() bool { return cam.Health().Failures >= failures+2 })

	src.set(false)
	waitFor(t, "OK again", func() bool { return cam.Health().State == OK })
	f, err = cam.Next(ctx)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if h := cam.Health(); h.Err != nil || h.Reason != "" {
		t.Errorf("health after recovery %+v: want no error", h)
	}
}

// A consumer slower than the camera gets the newest frame; the ones in
// between are dropped and counted, never queued.
func TestCameraDropsOldFrames(t *testing.T) {
	cam := Start(context.Background(), alpr.Cam1, &fakeSource{}, fastOptions())
	defer cam.Close()
	waitFor(t, "frames to pile up", func() bool { return cam.Health().Dropped >= 5 })
	f, err := cam.Next(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := cam.Health()
	if f.Seq < 6 {
		t.Errorf("got frame %d after %d were dropped: want the newest", f.Seq, h.Dropped)
	}
	// Every frame read was either taken, dropped, or is waiting in the slot.
	if h.Frames < h.Dropped+1 || h.Frames > h.Dropped+2 {
		t.Errorf("frames %d, dropped %d: the slot holds more than one frame", h.Frames, h.Dropped)
	}
}

func TestCameraNoSignal(t *testing.T) {
	clock := testclock.New(time.Date(2025, 3, 1, 22, 0, 0, 0, time.UTC))
	src := &fakeSource{}
	opt := fastOptions()
	opt.Now = clock.Now
	cam := Start(context.Background(), alpr.Cam3, src, opt)
	defer cam.Close()

	f, err := cam.Next(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	stall := make(chan struct{})
	src.mu.Lock()
	src.stalled = stall
	src.mu.Unlock()

	cases := []struct {
		name    string
		advance time.Duration
		want    State
	}{
		{"1.5 s without frames is still OK", 1500 * time.Millisecond, OK},
		{"2.5 s without frames is no signal", time.Second, NoSignal},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// Let any frame read before the stall land first.
			waitFor(t, "the read to stall", func() bool { return cam.Health().Frames >= 1 })
			time.Sleep(20 * time.Millisecond)
			clock.Advance(tc.advance)
			if h := cam.Health(); h.State != tc.want {
				t.Errorf("state %v (%s), want %v", h.State, h.Reason, tc.want)
			}
		})
	}
	close(stall)
	waitFor(t, "OK after the stall", func() bool { return cam.Health().State == OK })
}

func TestCameraClose(t *testing.T) {
	src := &fakeSource{}
	cam := Start(context.Background(), alpr.Cam1, src, fastOptions())
	waitFor(t, "a frame", func() bool { return cam.Health().Frames > 0 })
	if err := cam.Close(); err != nil {
		t.Fatal(err)
	}
	if err := cam.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	select {
	case <-cam.done:
	default:
		t.Fatal("goroutine still running after Close")
	}
	if _, err := cam.Next(context.Background()); !errors.Is(err, ErrClosed) {
		t.Errorf("Next after Close: %v, want ErrClosed", err)
	}
	if src.isOpen {
		t.Error("source left open after Close")
	}
	if cam.slot != nil {
		t.Error("a frame left unfreed after Close")
	}
	if h := cam.Health(); h.State != Stopped {
		t.Errorf("state %v after Close, want stopped", h.State)
	}
}

// Cancelling the context given to Start stops the camera too.
func TestCameraStopsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	src := &fakeSource{down: true}
	cam := Start(ctx, alpr.Cam1, src, fastOptions())
	defer cam.Close()
	waitFor(t, "a failed open", func() bool { return cam.Health().Failures > 0 })
	cancel()
	select {
	case <-cam.done:
	case <-time.After(5 * time.Second):
		t.Fatal("camera goroutine ignored its cancelled context")
	}
}

func TestNextReadAfterKeepsTheRate(t *testing.T) {
	t0 := time.Date(2026, 12, 7, 18, 0, 0, 0, time.UTC)
	period := time.Second / 15
	for _, tc := range []struct {
		name string
		now  time.Time
		want time.Time
	}{
		{"on time", t0, t0.Add(period)},
		{"a sleep late by 3 ms is made up", t0.Add(3 * time.Millisecond), t0.Add(period)},
		{"late by most of a period", t0.Add(period - time.Millisecond), t0.Add(period)},
		{"a stall of two periods is not caught up in a burst", t0.Add(2 * period), t0.Add(3 * period)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := nextReadAfter(t0, tc.now, period); !got.Equal(tc.want) {
				t.Errorf("nextReadAfter(t0, t0+%v) = t0+%v, want t0+%v", tc.now.Sub(t0), got.Sub(t0), tc.want.Sub(t0))
			}
		})
	}
}
