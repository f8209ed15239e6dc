package app

import (
	"context"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"patrol-alpr/alpr"
)

func TestNetworkNote(t *testing.T) {
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	fix := alpr.Fix{Lat: 38, Lon: -121.3, Quality: alpr.Fix3D}
	tests := []struct {
		name string
		n    alpr.NetworkSighting
		want []string
	}{
		{"another agency's car", alpr.NetworkSighting{Agency: "LODI", Vehicle: "4411", Camera: alpr.Cam1,
			SeenAt: now.Add(-4 * time.Minute), Fix: fix, DistanceKm: 3.24, Bearing: 50},
			[]string{"seen by LODI's car 4411 (Cam-1)", "3.2 km NE of you", "4 min ago", "may have moved"}},
		{"a fixed camera, long ago", alpr.NetworkSighting{Agency: "SPD", Vehicle: "HWY99-N", Fixed: true, Camera: alpr.Cam2,
			SeenAt: now.Add(-125 * time.Minute), Fix: fix, DistanceKm: 12, Bearing: 180},
			[]string{"SPD's fixed camera HWY99-N", "12.0 km S of you", "2 h 5 min ago"}},
		{"no position", alpr.NetworkSighting{Agency: "SPD", Vehicle: "12", Camera: alpr.Cam3, SeenAt: now},
			[]string{"position not known", "just now"}},
	}
	for _, tc := range tests {
		got := networkNote(&tc.n, now)
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: %q lacks %q", tc.name, got, w)
			}
		}
	}
}

// TestNetworkHitAlert: a hit found at the server pops up like the car's own, says it is a
// network hit and who saw the plate, and is disposed of the same way.
func TestNetworkHitAlert(t *testing.T) {
	f := newFixture(t, nil)
	f.signIn(officer)
	h, d := f.saveHit("7ABC123", "CA", stolen, alpr.Match{Kind: alpr.MatchExact, State: alpr.StateMatch})
	h.Network = &alpr.NetworkSighting{Agency: "LODI", Vehicle: "4411", Camera: alpr.Cam1, SeenAt: f.clock.Now().Add(-3 * time.Minute),
		Fix: d.Fix, DistanceKm: 2.5, Bearing: 270}
	f.u.RaiseHit(h, d)
	if f.u.alerts.pop == nil || !f.u.alerts.pop.Visible() {
		t.Fatal("no alert pop-up")
	}
	if dir := os.Getenv("PATROL_SCREENSHOTS"); dir != "" { // a picture for docs/, drawn by Fyne's test driver
		f.u.win.Resize(fyne.NewSize(1024, 768))
		writePNG(t, filepath.Join(dir, "network-hit.png"), f.u.win.Canvas().Capture())
	}
	text := f.screenText()
	for _, want := range []string{"NETWORK HIT", "SEEN BY LODI 4411", "2.5 km W of you", "3 min ago", notProbableCause} {
		if !strings.Contains(text, want) {
			t.Errorf("network hit alert does not show %q", want)
		}
	}
}

func writePNG(t *testing.T, path string, img image.Image) {
	t.Helper()
	fh, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	if err := png.Encode(fh, img); err != nil {
		t.Fatal(err)
	}
}

type serverCheck struct{ answer string }

func (c serverCheck) ShiftCheck(context.Context) (string, error) { return c.answer, nil }

// TestShiftCheckAsksTheServer: the shift check reports the server's comparison beside the
// car's own search, and signing out before it was done reminds the officer.
func TestShiftCheckAsksTheServer(t *testing.T) {
	f := newFixture(t, func(d *Deps) {
		d.ServerCheck = serverCheck{"2 of 9 detections missing from the server (2 still queued to send)"}
	})
	f.signIn(officer)
	f.u.askSignOut()
	f.settle()
	if text := strings.Join(strings.Fields(f.screenText()), " "); !strings.Contains(text, "has not been done this shift") {
		t.Errorf("signing out before the shift check does not remind:\n%s", text)
	}
	f.u.signOutAsk.Hide()
	f.u.signOutAsk = nil
	f.u.runSelfCheck()
	f.settle()
	if text := strings.Join(strings.Fields(f.screenText()), " "); !strings.Contains(text, "Agency server: 2 of 9 detections missing from the server (2 still queued to send).") {
		t.Errorf("the shift check does not give the server's comparison:\n%s", text)
	}
}
