package app

import (
	"context"
	"fmt"
	"image/color"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"patrol-alpr/alpr"
	"patrol-alpr/app/apptest"
)

func TestHitAlertShowsEverythingTheOfficerMustCompare(t *testing.T) {
	f := newFixture(t, nil)
	f.signIn(officer)
	h, d := f.saveHit("7A8C123", "NV", stolen, alpr.Match{Kind: alpr.MatchNear, Differs: []int{2}, Edit: "8 read as B at 3", State: alpr.StateMismatch})
	f.u.RaiseHit(h, d)

	if f.u.alerts.pop == nil || !f.u.alerts.pop.Visible() {
		t.Fatal("no alert pop-up")
	}
	text := f.screenText()
	for _, want := range []string{
		"SVS", "Stolen vehicle", "V123456789", "2019 Silver Honda Civic", "Stockton PD Records", "25-004411",
		"Taken from a driveway", notProbableCause, confirmFirst, "MISMATCH", "listed CA", "read NV", "8 read as B at 3", "1 hit",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("alert does not show %q", want)
		}
	}
	// The differing character is red on both plates; the others are not.
	red := redCharacters(f.u.alerts.pop.Content)
	if got, want := red, "8B"; got != want {
		t.Errorf("highlighted characters %q, want %q (read 8 vs listed B)", got, want)
	}
	if _, tone, ok := f.player.Sounding(); !ok || tone.Name != "urgent" {
		t.Errorf("alarm sounding = %v with %q, want the urgent tone for priority 3", ok, tone.Name)
	}
}

// redCharacters lists the plate characters drawn on a red box.
func redCharacters(o fyne.CanvasObject) string {
	var out strings.Builder
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		c, ok := o.(*fyne.Container)
		if !ok {
			if w, ok := o.(fyne.Widget); ok {
				for _, x := range test.WidgetRenderer(w).Objects() {
					walk(x)
				}
			}
			return
		}
		if len(c.Objects) == 2 {
			if r, ok := c.Objects[0].(*canvas.Rectangle); ok && r.FillColor == color.Color(colorRed) {
				if center, ok := c.Objects[1].(*fyne.Container); ok {
					if txt, ok := center.Objects[0].(*canvas.Text); ok {
						out.WriteString(txt.Text)
					}
				}
			}
		}
		for _, x := range c.Objects {
			walk(x)
		}
	}
	walk(o)
	return out.String()
}

func TestConfirmNeedsHowAndIsKeptWithOperatorAndVehicle(t *testing.T) {
	f := newFixture(t, nil)
	f.signIn(officer)
	h, d := f.saveHit("7ABC123", "CA", stolen, alpr.Match{Kind: alpr.MatchExact, State: alpr.StateMatch})
	f.u.RaiseHit(h, d)
	form := f.u.alerts.form

	test.Tap(form.confirm)
	test.Tap(form.save)
	f.settle()
	if !strings.Contains(form.message.Text, "radio or MDC") {
		t.Fatalf("confirm without how: message %q, want it to ask radio or MDC", form.message.Text)
	}
	form.confirmedBy.SetSelected(alpr.ConfirmedByRadio)
	test.Type(form.report, "25-009981")
	test.Type(form.note, "Driver detained")
	test.Tap(form.evidence)
	test.Tap(form.save)
	f.settle()

	if f.u.alerts.waiting() != 0 || f.u.alerts.pop != nil {
		t.Fatal("alert still open after the disposition was saved")
	}
	if _, _, ok := f.player.Sounding(); ok {
		t.Error("alarm still sounding after the disposition")
	}
	got := f.disposition(h.ID)
	want := alpr.Disposition{Outcome: alpr.Confirmed, ConfirmedBy: alpr.ConfirmedByRadio, Note: "Driver detained",
		ReportNumber: "25-009981", Evidence: true, OperatorID: officer.ID, VehicleNumber: "P-27", At: f.clock.Now()}
	if !got.At.Equal(want.At) {
		t.Errorf("disposition at %v, want %v", got.At, want.At)
	}
	got.At = want.At
	if got != want {
		t.Errorf("stored disposition\n got %+v\nwant %+v", got, want)
	}
}

func (f *fixture) disposition(hitID int64) alpr.Disposition {
	f.t.Helper()
	hits, err := f.db.Hits(context.Background(), time.Time{})
	if err != nil {
		f.t.Fatal(err)
	}
	for _, h := range hits {
		if h.ID == hitID {
			if h.Disposition == nil {
				f.t.Fatalf("hit %d has no disposition", hitID)
			}
			return *h.Disposition
		}
	}
	f.t.Fatalf("hit %d not stored", hitID)
	return alpr.Disposition{}
}

func TestRejectReasons(t *testing.T) {
	tests := []struct {
		name    string
		reason  string
		note    string
		wantErr string
	}{
		{"no reason", "", "", "Choose why"},
		{"misread", alpr.RejectMisread, "", ""},
		{"wrong state", alpr.RejectWrongState, "", ""},
		{"vehicle not as listed", alpr.RejectVehicleDiffers, "blue pickup", ""},
		{"list entry cleared", alpr.RejectEntryCleared, "", ""},
		{"other without a note", alpr.RejectOther, "", "Write a note"},
		{"other with a note", alpr.RejectOther, "plate frame hides state", ""},
	}
	f := newFixture(t, nil) // one shift; each case decides its own hit
	f.signIn(officer)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, d := f.saveHit("7ABC123", "CA", stolen, alpr.Match{Kind: alpr.MatchExact, State: alpr.StateMatch})
			f.u.RaiseHit(h, d)
			t.Cleanup(func() { f.dropHits() })
			form := f.u.alerts.form
			test.Tap(form.reject)
			form.reason.SetSelected(tt.reason)
			form.note.SetText(tt.note)
			test.Tap(form.save)
			f.settle()
			if tt.wantErr != "" {
				if !strings.Contains(form.message.Text, tt.wantErr) || f.u.alerts.waiting() != 1 {
					t.Fatalf("message %q, waiting %d; want %q and the hit kept", form.message.Text, f.u.alerts.waiting(), tt.wantErr)
				}
				return
			}
			got := f.disposition(h.ID)
			if got.Outcome != alpr.Rejected || got.Reason != tt.reason || got.Note != tt.note || got.OperatorID != officer.ID {
				t.Errorf("stored %+v, want rejected for %q with note %q", got, tt.reason, tt.note)
			}
		})
	}
}

func TestHitsQueueAndNoneIsLost(t *testing.T) {
	f := newFixture(t, nil)
	f.signIn(officer)
	entries := []alpr.HotEntry{stolen, stolen, stolen}
	entries[1].Plate, entries[1].Priority = "8XYZ001", 1
	entries[2].Plate, entries[2].Priority, entries[2].Covert = "5KLM777", 2, true
	var ids []int64
	for _, e := range entries {
		h, d := f.saveHit(e.Plate, "CA", e, alpr.Match{Kind: alpr.MatchExact, State: alpr.StateMatch})
		f.u.RaiseHit(h, d)
		f.u.RaiseHit(h, d) // raised twice: still one hit
		ids = append(ids, h.ID)
	}
	for i := range ids {
		wantBadge := waitingText(len(ids) - i)
		if got := f.u.alerts.form.badge.Text; got != wantBadge {
			t.Fatalf("badge %q, want %q", got, wantBadge)
		}
		if got := f.u.alerts.queue[0].hit.ID; got != ids[i] {
			t.Fatalf("showing hit %d, want %d (first come, first shown)", got, ids[i])
		}
		form := f.u.alerts.form
		test.Tap(form.reject)
		form.reason.SetSelected(alpr.RejectMisread)
		test.Tap(form.save)
		f.settle()
	}
	if f.u.alerts.waiting() != 0 {
		t.Fatalf("%d hits still waiting", f.u.alerts.waiting())
	}
	for _, id := range ids {
		if d := f.disposition(id); d.Outcome != alpr.Rejected {
			t.Errorf("hit %d: %+v", id, d)
		}
	}
}

func TestDispositionThatCannotBeSavedKeepsTheHit(t *testing.T) {
	f := newFixture(t, nil)
	f.signIn(officer)
	h, d := f.saveHit("7ABC123", "CA", stolen, alpr.Match{Kind: alpr.MatchExact, State: alpr.StateMatch})
	f.u.RaiseHit(h, d)
	if err := f.db.Close(); err != nil { // the disk is gone: a real failure, not a fake
		t.Fatal(err)
	}
	form := f.u.alerts.form
	test.Tap(form.reject)
	form.reason.SetSelected(alpr.RejectWrongState)
	test.Tap(form.save)
	f.settle()
	if !strings.HasPrefix(form.message.Text, "Not saved") {
		t.Errorf("message %q, want it to say the disposition was not saved", form.message.Text)
	}
	if f.u.alerts.waiting() != 1 || !f.u.alerts.pop.Visible() || form.save.Disabled() {
		t.Error("the hit left the screen although its disposition was not saved")
	}
	if _, _, ok := f.player.Sounding(); !ok {
		t.Error("the alarm stopped although the hit is not disposed")
	}
}

func TestMuteSilencesOnlyThisHit(t *testing.T) {
	f := newFixture(t, nil)
	f.signIn(officer)
	h1, d1 := f.saveHit("7ABC123", "CA", stolen, alpr.Match{Kind: alpr.MatchExact, State: alpr.StateMatch})
	second := stolen
	second.Plate, second.Priority = "8XYZ001", 1
	h2, d2 := f.saveHit("8XYZ001", "CA", second, alpr.Match{Kind: alpr.MatchExact, State: alpr.StateMatch})
	f.u.RaiseHit(h1, d1)
	f.u.RaiseHit(h2, d2)
	test.Tap(f.u.alerts.form.mute)
	hit, _, ok := f.player.Sounding()
	if !ok || hit != h2.ID {
		t.Fatalf("after muting hit %d: sounding %d (%v), want hit %d", h1.ID, hit, ok, h2.ID)
	}
	if f.u.alerts.waiting() != 2 {
		t.Error("muting removed a hit from the queue")
	}
}

// dropHits disposes of whatever a failed or refused case left waiting, so the next
// case starts with an empty queue.
func (f *fixture) dropHits() {
	for f.u.alerts.waiting() > 0 {
		form := f.u.alerts.form
		test.Tap(form.reject)
		form.reason.SetSelected(alpr.RejectOther)
		form.note.SetText("test cleanup")
		test.Tap(form.save)
		f.settle()
	}
}

func TestHitWhileSignedOutWaitsForTheNextOperator(t *testing.T) {
	f := newFixture(t, nil)
	h, d := f.saveHit("7ABC123", "CA", stolen, alpr.Match{Kind: alpr.MatchExact, State: alpr.StateMatch})
	f.u.RaiseHit(h, d) // a late hit while the login screen shows
	if f.u.alerts.pop != nil {
		t.Fatal("hit alert shown over the login screen, where nobody can dispose of it")
	}
	if _, _, ok := f.player.Sounding(); ok {
		t.Error("alarm sounding with nobody signed in")
	}
	f.signIn(officer)
	if f.u.alerts.pop == nil || f.u.alerts.waiting() != 1 {
		t.Fatal("the waiting hit is not shown after sign-in")
	}
	if hit, _, ok := f.player.Sounding(); !ok || hit != h.ID {
		t.Error("alarm not sounding for the waiting hit after sign-in")
	}
}

// TestMissingChoiceMessageGoesOnceChosen: the "say how the hit was confirmed" message goes as
// soon as a channel is tapped, and the form keeps its height so Save does not move under the
// officer's finger; on a rejection the message moves on to what is still missing.
func TestMissingChoiceMessageGoesOnceChosen(t *testing.T) {
	f := newFixture(t, nil)
	f.signIn(officer)
	h, d := f.saveHit("7ABC123", "CA", stolen, alpr.Match{Kind: alpr.MatchExact, State: alpr.StateMatch})
	f.u.RaiseHit(h, d)
	form := f.u.alerts.form

	test.Tap(form.confirm)
	test.Tap(form.save)
	if !strings.Contains(form.message.Text, "radio or MDC") {
		t.Fatalf("message %q, want it to ask radio or MDC", form.message.Text)
	}
	height, savePos := form.box.MinSize().Height, form.save.Position()
	test.Tap(form.confirmedBy.buttons[alpr.ConfirmedByMDC])
	if form.message.Text != "" {
		t.Errorf("message %q still shown after MDC was chosen", form.message.Text)
	}
	if got := form.box.MinSize().Height; got != height || form.save.Position() != savePos {
		t.Errorf("form height %v → %v, Save at %v → %v: the layout moved", height, got, savePos, form.save.Position())
	}

	test.Tap(form.back)
	test.Tap(form.reject)
	test.Tap(form.save)
	if !strings.Contains(form.message.Text, "why the hit is rejected") {
		t.Fatalf("message %q, want it to ask why", form.message.Text)
	}
	test.Tap(form.reason.buttons[alpr.RejectOther])
	if !strings.Contains(form.message.Text, "write a note") && !strings.Contains(form.message.Text, "Write a note") {
		t.Errorf("message %q, want it to move on to the note 'other' needs", form.message.Text)
	}
}

// A doubtful read says so under the comparison, in the alert and on its card; a sure one
// does not (the figure that decides is alpr.DoubtfulBelow).
func TestDoubtfulReadIsShownAsDoubtful(t *testing.T) {
	cases := []struct {
		conf      float64
		wantAlert string // "" for none
		wantCard  string
		wantColor fyne.ThemeColorName
	}{
		{0.62, "Doubtful read (62 % sure)", "7ABC123?", theme.ColorNameWarning},
		{0.91, "", "7ABC123", theme.ColorNameForeground},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprint(tc.conf), func(t *testing.T) {
			f := newFixture(t, nil)
			f.signIn(officer)
			h, d := f.saveHit("7ABC123", "CA", stolen, alpr.Match{Kind: alpr.MatchExact, State: alpr.StateMatch})
			d.Confidence = tc.conf
			f.u.RaiseHit(h, d)
			text := apptest.Text(f.u.alerts.pop.Content)
			if got := strings.Contains(text, "Doubtful read"); got != (tc.wantAlert != "") || !strings.Contains(text, tc.wantAlert) {
				t.Errorf("alert at confidence %v: doubt shown %v, want %q in:\n%s", tc.conf, got, tc.wantAlert, text)
			}
			var plate *themedText
			var walk func(o fyne.CanvasObject)
			walk = func(o fyne.CanvasObject) {
				switch o := o.(type) {
				case *fyne.Container:
					for _, c := range o.Objects {
						walk(c)
					}
				case *themedText:
					if strings.HasPrefix(o.text.Text, "7ABC123") {
						plate = o
					}
				}
			}
			walk(detectionCard(d, nil))
			if plate == nil {
				t.Fatal("card shows no plate")
			}
			if plate.text.Text != tc.wantCard || plate.color != tc.wantColor {
				t.Errorf("card plate %q in %s, want %q in %s", plate.text.Text, plate.color, tc.wantCard, tc.wantColor)
			}
		})
	}
}
