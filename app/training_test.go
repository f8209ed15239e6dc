package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

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

func TestClassroomLoginShowsTheTrainingAccounts(t *testing.T) {
	f, _ := newClassroom(t)
	if !strings.Contains(f.screenText(), "Classroom accounts: trainee T-1") {
		t.Error("login screen does not show the classroom accounts")
	}
}

// TestTrainerReviewsTheTraineeAfterTheSession runs a session as a class would: the
// trainer starts scenarios, the trainee confirms a hit and searches, signs out, and
// the trainer signs in to review the session and save the trainee's certificate.
func TestTrainerReviewsTheTraineeAfterTheSession(t *testing.T) {
	f, c := newClassroom(t)
	if err := f.db.PutOperator(context.Background(), trainer, testPIN); err != nil {
		t.Fatal(err)
	}
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
	f.clock.Advance(75 * time.Second) // the trainee checks by MDC before deciding
	form := f.u.alerts.form
	test.Tap(form.confirm)
	form.confirmedBy.SetSelected(alpr.ConfirmedByMDC)
	test.Type(form.report, "TRN-25-1")
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
	f.clock.Advance(time.Minute)
	test.Tap(p.buttons[4]) // camera fails
	f.settle()
	if !strings.Contains(p.log.Text, "21:30:00  Stolen vehicle hit") || !strings.Contains(p.log.Text, "21:32:15  Camera fails") {
		t.Errorf("trainer log %q", p.log.Text)
	}

	f.u.signOut()
	f.settle()
	f.signIn(trainer)
	test.Tap(f.u.main.nav[viewTrainer])
	p = f.u.main.trainer
	if !strings.Contains(p.log.Text, "Camera fails") {
		t.Errorf("the scenario log did not outlive the sign-out: %q", p.log.Text)
	}
	p.showReview()
	f.settle()

	// One certificate: the trainee's, not the trainer's.
	var shown []string
	for _, o := range p.review.Objects {
		if l, ok := o.(*widget.Label); ok && strings.HasPrefix(l.Text, "PATROL ALPR") {
			shown = append(shown, l.Text)
		}
	}
	if len(shown) != 1 || !strings.Contains(shown[0], "Trainee:  J. Rivera (4127)") {
		t.Fatalf("review shows %d certificates: %q", len(shown), shown)
	}
	for _, want := range []string{
		"SCENARIOS RUN (2)", "21:30:00  Stolen vehicle hit", "21:32:15  Camera fails",
		"read 7ABC123, listed 7ABC123 CA on SVS (Stolen vehicle)",
		"CONFIRMED by MDC · report TRN-25-1 · by 4127 · at 21:31:15 · 1m15s after the alert",
		"Stolen vehicle or plate · case TRN-1 · plate 7ABC123 · 1 result",
		"[x] Hits confirmed or rejected with the reason: 1 of 1",
		"[x] Searches with a purpose and a case number (I.C): 1",
	} {
		if !strings.Contains(shown[0], want) {
			t.Errorf("review lacks %q:\n%s", want, shown[0])
		}
	}

	test.Tap(findButton(t, p.review, "Save certificate"))
	entries, err := os.ReadDir(f.u.deps.CertificateDir)
	if err != nil || len(entries) != 1 || entries[0].Name() != "certificate-4127-2025-03-14-2132.txt" {
		t.Fatalf("certificate files %v, %v", entries, err)
	}
	body, err := os.ReadFile(filepath.Join(f.u.deps.CertificateDir, entries[0].Name()))
	if err != nil || string(body) != shown[0] {
		t.Errorf("saved certificate differs from the one shown:\n%s\n%v", body, err)
	}
}
