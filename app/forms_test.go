package app

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"patrol-alpr/alpr"
)

func TestHotPlateEntry(t *testing.T) {
	errRule := errors.New("hot plates sent to other officers need a DR number (IV.D.2.b)")
	tests := []struct {
		name      string
		plate     string
		days      string
		dr        string
		wantMsg   string
		wantSaved bool
	}{
		{"no plate", "", "7", "25-1", "enter the plate", false},
		{"bad expiry", "7abc 123", "a week", "25-1", "whole number of days", false},
		{"rule of the hot-list package", "7abc 123", "7", "", "need a DR number", false},
		{"store refuses beyond 30 days", "7abc 123", "45", "25-1", "Not entered", false},
		{"entered", "7abc 123", "7", "25-1", "Hot plate 7ABC123 CA entered", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, func(d *Deps) {
				d.ValidateHotPlate = func(e alpr.HotEntry, distributed bool, _ time.Time) error {
					if distributed && e.DRNumber == "" {
						return errRule
					}
					return nil
				}
			})
			f.signIn(officer)
			test.Tap(f.u.main.nav[viewHotPlate])
			h := f.u.main.hotPlate
			h.plate.SetText(tt.plate)
			h.state.SetText("ca")
			h.reason.SetText(hotPlateReasons[0])
			h.drNumber.SetText(tt.dr)
			h.synopsis.SetText("Taken at gunpoint")
			h.days.SetText(tt.days)
			test.Tap(h.save)
			f.settle()
			if !strings.Contains(h.message.Text, tt.wantMsg) {
				t.Errorf("message %q, want %q", h.message.Text, tt.wantMsg)
			}
			plates, err := f.db.HotPlates(context.Background(), f.clock.Now())
			if err != nil {
				t.Fatal(err)
			}
			if saved := len(plates) == 1; saved != tt.wantSaved {
				t.Fatalf("saved = %v, want %v", saved, tt.wantSaved)
			}
			if tt.wantSaved {
				p := plates[0]
				if p.Plate != "7ABC123" || p.State != "CA" || p.EnteredBy != officer.Name || p.Phone != officer.Phone ||
					!p.ExpiresAt.Equal(f.clock.Now().Add(7*24*time.Hour)) {
					t.Errorf("stored %+v", p)
				}
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
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, nil)
			f.signIn(officer)
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
			reports, err := f.db.EquipmentReports(context.Background(), time.Time{})
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
