package app

import (
	"image"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"patrol-alpr/alpr"
)

// feed puts a frame with a boxed plate on every pane and sets the lights as a working
// car would, so the screens are shown as the officer sees them.
func (f *fixture) feed() {
	for i, c := range alpr.Cameras {
		box := image.Rect(200+i*40, 260, 320+i*40, 290)
		f.u.ShowFrame(c, scene(640, 400, box), []image.Rectangle{box}, []string{"7ABC123 (CA)", "5KLM777", "8XYZ001 (NV)"}[i])
	}
	f.settle() // the panes' next pass
	for _, n := range lightNames {
		f.u.SetLight(n, Green, n+" working")
	}
	f.u.SetLight(LightGPS, Amber, "2D fix only: 4 satellites")
	for i, p := range []string{"4TRK552", "7ABC123", "6MNO404"} {
		box := image.Rect(10, 10, 130, 40)
		sc := scene(200, 80, box)
		f.u.AddDetection(alpr.Detection{Camera: alpr.Cameras[i], Plate: p, State: []string{"CA", "", "NV"}[i], SeenAt: f.clock.Now(), PlateJPEG: jpegOf(f.t, sc.SubImage(box))})
	}
}

func TestGoldenScreens(t *testing.T) {
	tests := []struct {
		name   string
		golden string
		setup  func(f *fixture)
		deps   func(*Deps)
	}{
		{"login", "login.png", func(f *fixture) {}, nil},
		{"patrol at night", "patrol_night.png", func(f *fixture) { f.signIn(officer); f.feed() }, nil},
		{"patrol by day", "patrol_day.png", func(f *fixture) { f.signIn(officer); f.feed(); f.u.setNight(false) }, nil},
		{"cameras refused to an untrained operator", "patrol_untrained.png", func(f *fixture) { f.signIn(analyst) }, nil},
		{"hit alert", "hit_alert.png", func(f *fixture) {
			f.signIn(officer)
			f.feed()
			h, d := f.saveHit("7A8C123", "NV", stolen, alpr.Match{Kind: alpr.MatchNear, Differs: []int{2}, Edit: "8 read as B at 3", State: alpr.StateMismatch})
			d.Confidence = 0.62 // the reader hesitated over the look-alike: the alert says so
			f.u.RaiseHit(h, d)
			h2, d2 := f.saveHit("8XYZ001", "CA", stolen, alpr.Match{Kind: alpr.MatchExact, State: alpr.StateMatch})
			f.u.RaiseHit(h2, d2)
		}, nil},
		{"training patrol", "training_patrol.png", func(f *fixture) { f.signIn(officer); f.feed() }, func(d *Deps) {
			d.Training = true
			d.Trainer = &classroomRecorder{}
		}},
		{"training hit alert", "training_hit.png", func(f *fixture) {
			f.signIn(officer)
			h, d := f.saveHit("7ABC123", "CA", stolen, alpr.Match{Kind: alpr.MatchExact, State: alpr.StateMatch})
			f.u.RaiseHit(h, d)
		}, func(d *Deps) { d.Training = true }},
		{"training hit alert, confirming", "training_confirm.png", func(f *fixture) {
			f.signIn(officer)
			h, d := f.saveHit("7ABC123", "CA", stolen, alpr.Match{Kind: alpr.MatchExact, State: alpr.StateMatch})
			f.u.RaiseHit(h, d)
			test.Tap(f.u.alerts.form.confirm)
			f.u.alerts.form.confirmedBy.SetSelected(alpr.ConfirmedByMDC)
		}, func(d *Deps) { d.Training = true }},
		{"search results", "search.png", func(f *fixture) {
			f.saveDetections("7ABC123", "7ABD555", "4TRK552")
			f.signIn(officer)
			f.searchPlate("7*")
		}, nil},
		{"trainer panel", "trainer.png", func(f *fixture) {
			f.signIn(officer)
			test.Tap(f.u.main.nav[viewTrainer])
		}, func(d *Deps) {
			d.Training = true
			d.Trainer = &classroomRecorder{names: []string{"Stolen vehicle hit", "State mismatch", "Look-alike 8/B", "Expired hot plate", "Camera fails", "GPS loses fix", "Server offline"}}
		}},
		{"trainer review", "trainer_review.png", func(f *fixture) {
			f.u.deps.Review = f.db
			f.u.deps.Trainer.(*classroomRecorder).f = f
			f.signIn(officer)
			test.Tap(f.u.main.nav[viewTrainer])
			p := f.u.main.trainer
			test.Tap(p.buttons[0]) // raises a hit
			f.settle()
			f.clock.Advance(42 * time.Second)
			form := f.u.alerts.form
			test.Tap(form.reject)
			form.reason.SetSelected(alpr.RejectMisread)
			test.Tap(form.save)
			f.settle()
			f.clock.Advance(25 * time.Minute)
			p.showReview()
			f.settle()
		}, func(d *Deps) {
			d.Training = true
			d.Trainer = &classroomRecorder{names: []string{"Stolen vehicle hit", "State mismatch"}}
			d.CertificateDir = t.TempDir()
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, tt.deps)
			tt.setup(f)
			img := f.u.win.Canvas().Capture()
			// A screen that needs more than the MDC would have grown the window.
			if b := img.Bounds(); b.Dx() != int(mdcScreen.Width) || b.Dy() != int(mdcScreen.Height) {
				t.Errorf("window is %v, want the MDC's %v", b.Size(), mdcScreen)
			}
			test.AssertImageMatches(t, tt.golden, img)
		})
	}
}
