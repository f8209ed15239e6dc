package app

import (
	"context"
	"os"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2/test"

	"patrol-alpr/alpr"
)

// classroomRecorder stands in for the classroom package (the lead's), recording what
// the trainer panel asked; hit scenarios raise a real hit through the fixture, as the
// classroom does through the engine.
type classroomRecorder struct {
	mu       sync.Mutex
	f        *fixture
	names    []string
	resets   int
	triggers []string
}

func (c *classroomRecorder) Scenarios() []string { return c.names }

func (c *classroomRecorder) Trigger(_ context.Context, name string) error {
	c.mu.Lock()
	c.triggers = append(c.triggers, name)
	c.mu.Unlock()
	if name == "Stolen vehicle hit" {
		h, d := c.f.saveHit("7ABC123", "CA", stolen, alpr.Match{Kind: alpr.MatchExact, State: alpr.StateMatch})
		c.f.u.RaiseHit(h, d)
	}
	return nil
}

func (c *classroomRecorder) Reset(context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.resets++
	return nil
}

func newClassroom(t *testing.T) (*fixture, *classroomRecorder) {
	c := &classroomRecorder{names: []string{"Stolen vehicle hit", "State mismatch", "Look-alike 8/B", "Expired hot plate",
		"Camera fails", "GPS loses fix", "Server offline"}}
	dir := t.TempDir()
	f := newFixture(t, func(d *Deps) {
		d.Training = true
		d.Trainer = c
		d.CertificateDir = dir
		d.LoginHint = "Classroom accounts: trainee T-1, PIN 1111"
	})
	f.u.deps.Review = f.db
	c.f = f
	return f, c
}

func TestTrainingBannerOnEveryScreenAndAlert(t *testing.T) {
	f, _ := newClassroom(t)
	screens := []struct {
		name string
		show func()
	}{
		{"login", func() {
			if !strings.Contains(f.screenText(), "Classroom accounts: trainee T-1") {
				t.Error("login screen does not show the classroom accounts")
			}
		}},
		{"patrol", func() { f.signIn(officer) }},
		{"search", func() { test.Tap(f.u.main.nav[viewSearch]) }},
		{"hit alert", func() {
			h, d := f.saveHit("7ABC123", "CA", stolen, alpr.Match{Kind: alpr.MatchExact, State: alpr.StateMatch})
			f.u.RaiseHit(h, d)
		}},
		{"lock", func() { f.u.lock() }},
	}
	for _, s := range screens {
		s.show()
		if n := strings.Count(f.screenText(), trainingText); n < 1 {
			t.Errorf("%s: no TRAINING banner", s.name)
		}
	}
	// The alert carries its own banner, since it covers the screen's.
	f.u.locked = false
	f.u.showMain()
	f.u.alerts.refresh()
	if n := strings.Count(f.screenText(), trainingText); n < 2 {
		t.Errorf("hit alert: %d banners visible, want one on the screen and one on the alert", n)
	}
}

func TestTrainerPanelRunsScenariosAndReviewsTheTrainee(t *testing.T) {
	f, c := newClassroom(t)
	f.signIn(officer)
	test.Tap(f.u.main.nav[viewTrainer])
	p := f.u.main.trainer
	if len(p.buttons) != len(c.names) {
		t.Fatalf("%d scenario buttons, want %d", len(p.buttons), len(c.names))
	}
	test.Tap(p.buttons[0]) // stolen vehicle hit
	f.settle()
	if f.u.alerts.waiting() != 1 {
		t.Fatal("the hit scenario raised no alert")
	}
	form := f.u.alerts.form
	test.Tap(form.confirm)
	form.confirmedBy.SetSelected(alpr.ConfirmedByMDC)
	test.Tap(form.save)
	f.settle()

	test.Tap(f.u.main.nav[viewSearch])
	v := f.u.main.search
	v.plate.SetText("7ABC123")
	v.purpose.SetSelected(searchPurposes[2])
	v.caseNo.SetText("TRN-1")
	test.Tap(v.run)
	f.settle()

	test.Tap(f.u.main.nav[viewTrainer])
	test.Tap(p.buttons[4]) // camera fails
	f.settle()
	if !strings.Contains(p.log.Text, "Camera fails") || !strings.Contains(p.log.Text, "Stolen vehicle hit") {
		t.Errorf("trainer log %q", p.log.Text)
	}
	p.showReview()
	f.settle()
	text := f.screenText()
	for _, want := range []string{"Scenarios run (2)", "7ABC123 on SVS — confirmed by MDC", "Searches with purpose (1)", "TRN-1",
		"Completed: 1 of 1 hits decided, 1 searches"} {
		if !strings.Contains(text, want) {
			t.Errorf("review lacks %q:\n%s", want, text)
		}
	}
	var save = findButton(t, p.review, "Save certificate")
	test.Tap(save)
	entries, err := os.ReadDir(f.u.deps.CertificateDir)
	if err != nil || len(entries) != 1 {
		t.Fatalf("certificate files %v, %v", entries, err)
	}
	body, err := os.ReadFile(f.u.deps.CertificateDir + "/" + entries[0].Name())
	if err != nil || !strings.Contains(string(body), "Trainee: J. Rivera (4127)") {
		t.Errorf("certificate %q, %v", body, err)
	}
}
