package app

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"patrol-alpr/alpr"
)

func TestLoginRefusals(t *testing.T) {
	tests := []struct {
		name    string
		id, pin string
		vehicle string
		tries   int
		want    string
	}{
		{"no operator id", "", testPIN, "P-27", 1, "Enter your operator ID."},
		{"no pin", officer.ID, "", "P-27", 1, "Enter your PIN."},
		{"no vehicle", officer.ID, testPIN, "", 1, "Enter the vehicle number"},
		{"wrong pin", officer.ID, "0000", "P-27", 1, "Operator ID or PIN is wrong"},
		{"unknown operator", "7777", testPIN, "P-27", 1, "Operator ID or PIN is wrong"},
		{"locked out after repeated failures", officer.ID, "0000", "P-27", 6, "locked for 15 minutes"},
		{"trained for nothing", untrained.ID, testPIN, "P-27", 1, "not trained to use the ALPR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, nil)
			l := f.u.loginView
			l.vehicle.SetText(tt.vehicle)
			for range tt.tries {
				l.id.SetText(tt.id)
				l.pin.SetText(tt.pin)
				test.Tap(l.signIn)
				f.settle()
			}
			if f.u.session != nil {
				t.Fatal("signed in; want refused")
			}
			if !strings.Contains(l.message.Text, tt.want) {
				t.Errorf("message %q, want it to contain %q", l.message.Text, tt.want)
			}
			if l.pin.Text != "" && tt.pin != "" && tt.id != "" && tt.vehicle != "" {
				t.Error("PIN left in the field after a refusal")
			}
			if len(f.patrol.activated) != 0 {
				t.Error("cameras activated for a refused sign-in")
			}
		})
	}
}

func TestLoginStartsShiftAndCamerasOnlyForTrainedOperators(t *testing.T) {
	tests := []struct {
		name        string
		op          alpr.Operator
		wantCameras bool
		wantSearch  bool
		wantPane    string
	}{
		{"trained and certified officer", officer, true, true, "Starting camera"},
		{"database-only operator", analyst, false, true, "not trained and certified"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, nil)
			f.signIn(tt.op)
			s := f.u.session
			if s.shift.VehicleNumber != "P-27" || s.shift.OperatorID != tt.op.ID {
				t.Errorf("shift %+v, want vehicle P-27 for %s (III.E.1)", s.shift, tt.op.ID)
			}
			if got := len(f.patrol.activated) == 1; got != tt.wantCameras {
				t.Errorf("cameras activated = %v, want %v (I.B, III.C.5.a)", got, tt.wantCameras)
			}
			if tt.wantCameras && f.patrol.activated[0].ID != s.shift.ID {
				t.Errorf("activated shift %d, want %d", f.patrol.activated[0].ID, s.shift.ID)
			}
			if _, ok := f.u.main.views[viewSearch]; ok != tt.wantSearch {
				t.Errorf("search offered = %v, want %v", ok, tt.wantSearch)
			}
			if _, ok := f.u.main.views[viewHotPlate]; ok != tt.wantCameras {
				t.Errorf("hot plate entry offered = %v, want %v", ok, tt.wantCameras)
			}
			if text := f.screenText(); !strings.Contains(text, tt.wantPane) {
				t.Errorf("camera panes do not say %q:\n%s", tt.wantPane, text)
			}
		})
	}
}
