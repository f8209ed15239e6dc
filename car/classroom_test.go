package car

import (
	"context"
	"image"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"patrol-alpr/alpr"
	"patrol-alpr/app"
	"patrol-alpr/app/apptest"
	"patrol-alpr/classroom"
	"patrol-alpr/config"
	"patrol-alpr/engine"
)

// watched wraps the real screen and keeps what the car told it, so the test can wait for a
// scenario's effect and then look at the window itself.
type watched struct {
	display
	mu     sync.Mutex
	frames map[alpr.CameraID]int
	dets   []alpr.Detection
	hits   []alpr.Hit
	lights map[string]light
}

type light struct {
	level  engine.Level
	reason string
}

func (w *watched) ShowFrame(cam alpr.CameraID, img image.Image, boxes []image.Rectangle, last string) {
	w.mu.Lock()
	w.frames[cam]++
	w.mu.Unlock()
	w.display.ShowFrame(cam, img, boxes, last)
}

func (w *watched) AddDetection(d alpr.Detection) {
	w.mu.Lock()
	w.dets = append(w.dets, d)
	w.mu.Unlock()
	w.display.AddDetection(d)
}

func (w *watched) RaiseHit(h alpr.Hit, d alpr.Detection) {
	w.display.RaiseHit(h, d)
	w.mu.Lock()
	w.hits = append(w.hits, h)
	w.mu.Unlock()
}

func (w *watched) SetLight(name string, l engine.Level, reason string) {
	w.mu.Lock()
	w.lights[name] = light{l, reason}
	w.mu.Unlock()
	w.display.SetLight(name, l, reason)
}

func (w *watched) until(t *testing.T, what string, timeout time.Duration, cond func(w *watched) bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		w.mu.Lock()
		ok := cond(w)
		w.mu.Unlock()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("waited %s for %s", timeout, what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (w *watched) hitFor(listed string) (alpr.Hit, bool) {
	for _, h := range w.hits {
		if h.Match.Entry.Plate == listed {
			return h, true
		}
	}
	return alpr.Hit{}, false
}

// windowText is every piece of text on the window, pop-ups included, joined by spaces so that
// a sentence wrapped over several lines still reads as one.
func windowText(win fyne.Window) string {
	return strings.Join(strings.Fields(apptest.WindowText(win)), " ")
}

// TestClassroomScenarios runs every trainer scenario on the whole classroom system (synthetic
// cameras, the real reader, simulated GPS and server, the classroom store) with the real UI on
// Fyne's test driver, and checks what the trainee is shown.
func TestClassroomScenarios(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole classroom")
	}
	skipUnderRace(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cfg := config.Classroom(t.TempDir())
	sys, err := newSystem(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer sys.Close()
	sys.class.Outage = 3 * time.Second

	a := test.NewApp()
	defer a.Quit()
	ui := app.New(a, sys.deps())
	defer ui.Close()
	w := &watched{display: screen{ui: ui}, frames: map[alpr.CameraID]int{}, lights: map[string]light{}}
	sys.attach(w)
	runDone := make(chan struct{})
	runCtx, stopRun := context.WithCancel(ctx)
	go func() { defer close(runDone); sys.Run(runCtx) }()
	defer func() { stopRun(); <-runDone }()

	ui.SignIn("TRAINEE", "1234", "TRAINING-1")
	w.until(t, "all three panes to show frames", 60*time.Second, func(w *watched) bool {
		return w.frames[alpr.Cam1] > 0 && w.frames[alpr.Cam2] > 0 && w.frames[alpr.Cam3] > 0
	})
	if !strings.Contains(windowText(ui.Window()), "TRAINING") {
		t.Error("no TRAINING banner on the patrol screen")
	}

	trigger := func(t *testing.T, name string) {
		t.Helper()
		if err := sys.class.Trigger(ctx, name); err != nil {
			t.Fatalf("Trigger(%q): %v", name, err)
		}
	}
	hitShown := func(t *testing.T, listed string) alpr.Hit {
		t.Helper()
		w.until(t, "a hit on "+listed, 90*time.Second, func(w *watched) bool { _, ok := w.hitFor(listed); return ok })
		w.mu.Lock()
		h, _ := w.hitFor(listed)
		w.mu.Unlock()
		if h.VehicleNumber != "TRAINING-1" {
			t.Errorf("hit on %s documented with vehicle %q, want the shift's TRAINING-1 (III.E.1)", listed, h.VehicleNumber)
		}
		// The alert reaches the window through fyne.Do: look until it shows, or fail.
		var text string
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
			if text = strings.ToLower(windowText(ui.Window())); strings.Contains(text, "probable cause") {
				break
			}
		}
		for _, want := range []string{"training", "probable cause", strings.ToLower(h.Match.Entry.List)} {
			if !strings.Contains(text, want) {
				t.Errorf("hit alert for %s does not show %q; the window shows:\n%s", listed, want, text)
			}
		}
		return h
	}

	t.Run(classroom.ScenarioStolen, func(t *testing.T) {
		trigger(t, classroom.ScenarioStolen)
		h := hitShown(t, "7TRN123")
		if h.Match.Entry.Code != "V" || !strings.Contains(strings.ToLower(h.Match.Entry.Reason), "stolen") {
			t.Errorf("stolen-vehicle hit carries entry %+v", h.Match.Entry)
		}
	})
	t.Run(classroom.ScenarioStateMismatch, func(t *testing.T) {
		trigger(t, classroom.ScenarioStateMismatch)
		h := hitShown(t, "6TRN456")
		if h.Match.Entry.State != "NV" || h.Match.State == alpr.StateMatch {
			t.Errorf("hit on a Nevada listing read from a California plate: state check %q, listed %q", h.Match.State, h.Match.Entry.State)
		}
	})
	t.Run(classroom.ScenarioLookAlike, func(t *testing.T) {
		trigger(t, classroom.ScenarioLookAlike)
		h := hitShown(t, "4TRB218")
		// The plate shows 8 where the list has B. Read as printed, the matcher explains a near
		// match at that position; misread as B (the very look-alike), it is an exact match of
		// the read, and the officer's comparison of image and record is what catches it.
		switch {
		case h.Match.Kind == alpr.MatchNear && len(h.Match.Differs) == 0:
			t.Errorf("near match names no differing position: %+v", h.Match)
		case h.Match.Kind == alpr.MatchExact && h.Match.ReadPlate != "4TRB218":
			t.Errorf("exact match of a read %q that is not the listed plate", h.Match.ReadPlate)
		}
	})
	t.Run(classroom.ScenarioExpired, func(t *testing.T) {
		trigger(t, classroom.ScenarioExpired)
		w.until(t, "the expired plate to be read", 90*time.Second, func(w *watched) bool {
			for _, d := range w.dets {
				if d.Plate == "3TRX907" {
					return true
				}
			}
			return false
		})
		time.Sleep(2 * time.Second)
		w.mu.Lock()
		defer w.mu.Unlock()
		if h, ok := w.hitFor("3TRX907"); ok {
			t.Errorf("an expired hot plate raised a hit: %+v", h)
		}
	})
	lightCycle := func(t *testing.T, scenario, name, reason string) {
		trigger(t, scenario)
		w.until(t, name+" light red", 20*time.Second, func(w *watched) bool {
			l := w.lights[name]
			return l.level == engine.Red && strings.Contains(l.reason, reason)
		})
		w.until(t, name+" light green again by itself", 30*time.Second, func(w *watched) bool {
			return w.lights[name].level == engine.Green
		})
	}
	t.Run(classroom.ScenarioCameraFails, func(t *testing.T) { lightCycle(t, classroom.ScenarioCameraFails, "Cam-2", "") })
	t.Run(classroom.ScenarioGPSLost, func(t *testing.T) { lightCycle(t, classroom.ScenarioGPSLost, "GPS", "no fix") })
	t.Run(classroom.ScenarioServerOffline, func(t *testing.T) {
		lightCycle(t, classroom.ScenarioServerOffline, "LEARN", "offline")
	})
}
