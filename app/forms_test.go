package app

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"patrol-alpr/alpr"
	"patrol-alpr/hotlist"
)

func TestHotPlateEntry(t *testing.T) {
	tests := []struct {
		name      string
		plate     string
		reason    string
		days      string
		dr        string
		wantMsg   string
		wantSaved bool
	}{
		{"no plate", "", hotPlateReasons[0], "7", "25-1", "enter the plate", false},
		{"bad expiry", "7abc 123", hotPlateReasons[0], "a week", "25-1", "whole number of days", false},
		{"shared without a DR number", "7abc 123", hotPlateReasons[0], "7", "", "DR number", false},
		{"stolen vehicle beyond 7 days", "7abc 123", hotPlateReasons[0], "10", "25-1", "at most 7 days", false},
		{"wanted person beyond 30 days", "7abc 123", "Wanted person", "45", "25-1", "at most 30 days", false},
		{"stolen vehicle for 7 days", "7abc 123", hotPlateReasons[0], "7", "25-1", "Hot plate 7ABC123 CA entered", true},
		{"wanted person for 30 days", "7abc 123", "Wanted person", "30", "25-1", "Hot plate 7ABC123 CA entered", true},
	}
	f := newFixture(t, func(d *Deps) { d.ValidateHotPlate = hotlist.ValidateHotPlate })
	f.signIn(officer)
	stored := func() []alpr.HotEntry {
		plates, err := f.db.HotPlates(context.Background(), f.clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		return plates
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(stored())
			test.Tap(f.u.main.nav[viewHotPlate])
			h := f.u.main.hotPlate
			h.plate.SetText(tt.plate)
			h.state.SetText("ca")
			h.reason.SetText(tt.reason)
			h.drNumber.SetText(tt.dr)
			h.synopsis.SetText("Taken at gunpoint")
			h.days.SetText(tt.days)
			test.Tap(h.save)
			f.settle()
			if !strings.Contains(h.message.Text, tt.wantMsg) {
				t.Errorf("message %q, want %q", h.message.Text, tt.wantMsg)
			}
			plates := stored()
			if saved := len(plates) == before+1; saved != tt.wantSaved {
				t.Fatalf("saved = %v, want %v", saved, tt.wantSaved)
			}
			if !tt.wantSaved {
				if h.plate.Text != tt.plate {
					t.Error("the form lost what was typed")
				}
				return
			}
			days, _ := strconv.Atoi(tt.days)
			p := newest(plates)
			if p.Plate != "7ABC123" || p.State != "CA" || p.EnteredBy != officer.Name || p.Phone != officer.Phone || p.Code != hotPlateCode(tt.reason) ||
				!p.ExpiresAt.Equal(f.clock.Now().Add(time.Duration(days)*24*time.Hour)) {
				t.Errorf("stored %+v", p)
			}
		})
	}
}

func TestEquipmentReport(t *testing.T) {
	tests := []struct {
		name        string
		what        string
		problem     string
		note        string
		wantMsg     string
		wantCamera  alpr.CameraID
		wantProblem string
	}{
		{"nothing chosen", "", "", "", "Choose the equipment", "", ""},
		{"other without note", "Cam-2", "Other", "", "Write a note", "", ""},
		{"camera damaged", "Cam-2", "Damaged", "lens cracked", "queued for the ALPR Administrator", alpr.Cam2, "Damaged"},
		{"gps inoperable", "GPS", "Inoperable", "", "queued", "", "GPS: Inoperable"},
	}
	f := newFixture(t, nil)
	f.signIn(officer)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f.clock.Advance(time.Minute) // each report its own minute, to find it
			since := f.clock.Now()
			test.Tap(f.u.main.nav[viewEquipment])
			e := f.u.main.equipment
			e.what.SetSelected(tt.what)
			e.problem.SetSelected(tt.problem)
			e.note.SetText(tt.note)
			test.Tap(e.send)
			f.settle()
			if !strings.Contains(e.message.Text, tt.wantMsg) {
				t.Errorf("message %q, want %q", e.message.Text, tt.wantMsg)
			}
			reports, err := f.db.EquipmentReports(context.Background(), since)
			if err != nil {
				t.Fatal(err)
			}
			if tt.wantProblem == "" {
				if len(reports) != 0 {
					t.Errorf("an incomplete report was sent: %+v", reports)
				}
				return
			}
			if len(reports) != 1 {
				t.Fatalf("%d reports stored, want 1", len(reports))
			}
			r := reports[0]
			if r.Camera != tt.wantCamera || r.Problem != tt.wantProblem || r.Note != tt.note || r.OperatorID != officer.ID || r.VehicleNumber != "P-27" {
				t.Errorf("stored %+v", r)
			}
		})
	}
}

func TestHotPlateCode(t *testing.T) {
	tests := []struct{ reason, want string }{
		{hotPlateReasons[0], "SVS"},
		{hotPlateReasons[1], "SLR"},
		{hotPlateReasons[2], "SFR"},
		{"Wanted person", ""},
		{"typed by hand (SVS) later", ""},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			if got := hotPlateCode(tt.reason); got != tt.want {
				t.Errorf("hotPlateCode(%q) = %q, want %q", tt.reason, got, tt.want)
			}
		})
	}
}

// newest is the hot plate entered last.
func newest(plates []alpr.HotEntry) alpr.HotEntry {
	n := plates[0]
	for _, p := range plates {
		if p.ID > n.ID {
			n = p
		}
	}
	return n
}
