package app

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"patrol-alpr/alpr"
	"patrol-alpr/app/apptest"
)

// TestOutcomesCanBeFound: the shift's hits are listed with what became of each, search
// results carry their hit and its disposition, and Sign out asks first, warning of a hit
// still awaiting a disposition.
func TestOutcomesCanBeFound(t *testing.T) {
	f := newFixture(t, nil)
	f.u.deps.HitLog = f.db // the store is the fixture's; the screen reads Deps at sign-in
	f.signIn(officer)
	ctx := context.Background()
	confirmed, _ := f.saveHit("7ABC123", "CA", stolen, alpr.Match{Kind: alpr.MatchExact, State: alpr.StateMatch})
	other := stolen
	other.Plate = "6XYZ999"
	f.saveHit("6XYZ999", "CA", other, alpr.Match{Kind: alpr.MatchExact, State: alpr.StateMatch})
	if err := f.db.SetDisposition(ctx, confirmed.ID, alpr.Disposition{Outcome: alpr.Confirmed, ConfirmedBy: alpr.ConfirmedByRadio,
		ReportNumber: "25-0107", OperatorID: officer.ID, VehicleNumber: "P-27", At: f.clock.Now()}); err != nil {
		t.Fatal(err)
	}

	test.Tap(f.u.main.nav[viewHits])
	f.settle()
	h := f.u.main.hits
	if want := "2 hits since 21:30: 1 confirmed, 0 rejected, 1 awaiting a disposition."; h.summary.Text != want {
		t.Errorf("summary %q, want %q", h.summary.Text, want)
	}
	list := apptest.Text(h.list)
	for _, want := range []string{"7ABC123 on SVS (Stolen vehicle)  ·  CONFIRMED by radio, report 25-0107", "6XYZ999 on SVS (Stolen vehicle)  ·  AWAITING DISPOSITION"} {
		if !strings.Contains(list, want) {
			t.Errorf("the shift's hits do not show %q:\n%s", want, list)
		}
	}

	test.Tap(f.u.main.nav[viewSearch])
	v := f.u.main.search
	v.plate.SetText("7ABC123")
	v.purpose.SetSelected(searchPurposes[0])
	v.caseNo.SetText("25-0107")
	test.Tap(v.run)
	f.settle()
	if res := apptest.Text(v.results); !strings.Contains(res, "HIT 21:30  7ABC123 on SVS") || !strings.Contains(res, "CONFIRMED by radio") {
		t.Errorf("search result does not show its hit and outcome:\n%s", res)
	}

	f.u.askSignOut() // what the Sign out tile does
	f.settle()
	if f.u.signOutAsk == nil || f.u.session == nil {
		t.Fatal("Sign out ended the shift without asking")
	}
	if text := strings.Join(strings.Fields(f.screenText()), " "); !strings.Contains(text, "1 hit still awaits a disposition") {
		t.Errorf("the question does not warn of the hit awaiting a disposition:\n%s", text)
	}
	f.u.signOutAsk.Confirm()
	f.settle()
	if f.u.session != nil {
		t.Fatal("still signed in after confirming")
	}
}
