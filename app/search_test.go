package app

import (
	"context"
	"image"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"patrol-alpr/alpr"
	"patrol-alpr/store"
)

func (f *fixture) saveDetections(plates ...string) {
	f.t.Helper()
	for i, p := range plates {
		box := image.Rect(10, 10, 130, 40)
		sc := scene(200, 80, box)
		conf := 0.9
		if i == 1 { // the second read is doubtful
			conf = 0.62
		}
		d := alpr.Detection{Camera: alpr.Cameras[i%3], SeenAt: f.clock.Now().Add(time.Duration(i) * time.Minute), Plate: p, State: "CA",
			Confidence: conf, Fix: alpr.Fix{Lat: 37.9577, Lon: -121.2908, Quality: alpr.Fix3D},
			PlateJPEG: jpegOf(f.t, sc.SubImage(box)), SceneJPEG: jpegOf(f.t, sc)}
		if err := f.db.SaveDetection(context.Background(), &d); err != nil {
			f.t.Fatal(err)
		}
	}
}

func TestSearchNeedsPurposeAndIsAudited(t *testing.T) {
	tests := []struct {
		name      string
		plate     string
		state     string
		purpose   string
		caseNo    string
		from      string
		near      [3]string
		wantMsg   string
		wantCount string
	}{
		{"no purpose", "7ABC123", "", "", "25-1", "", [3]string{}, "choose the purpose", ""},
		{"no case number", "7ABC123", "", searchPurposes[0], "", "", [3]string{}, "case or DR number", ""},
		{"bad time", "7ABC123", "", searchPurposes[0], "25-1", "yesterday", [3]string{}, "From: write the time", ""},
		{"half an area", "", "", searchPurposes[0], "25-1", "", [3]string{"37.9", "", ""}, "Near: longitude", ""},
		{"bad state", "7*", "C4", searchPurposes[0], "25-1", "", [3]string{}, "State: two letters", ""},
		{"exact plate", "7ABC123", "", searchPurposes[1], "25-1", "", [3]string{}, "", "1 detection."},
		{"wildcard", "7*", "", searchPurposes[1], "25-2", "", [3]string{}, "", "2 detections."},
		{"wildcard in the state read", "7*", " ca", searchPurposes[1], "25-2", "", [3]string{}, "", "2 detections."},
		{"wildcard in another state", "7*", "NV", searchPurposes[1], "25-2", "", [3]string{}, "", "No detections match."},
		{"near the car", "", "", searchPurposes[4], "25-3", "", [3]string{"37.9577", "-121.2908", "200"}, "", "3 detections."},
		{"far away", "", "", searchPurposes[4], "25-4", "", [3]string{"34.05", "-118.24", "500"}, "", "No detections match."},
	}
	f := newFixture(t, nil)
	f.saveDetections("7ABC123", "7ABD555", "4TRK552")
	f.signIn(officer)
	audited := func() []store.AuditEntry {
		all, err := f.db.AuditLog(context.Background(), time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		var out []store.AuditEntry
		for _, a := range all {
			if a.Action == store.ActionSearch {
				out = append(out, a)
			}
		}
		return out
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(audited())
			test.Tap(f.u.main.nav[viewSearch])
			v := f.u.main.search
			v.plate.SetText(tt.plate)
			v.state.SetText(tt.state)
			v.purpose.SetSelected(tt.purpose)
			v.caseNo.SetText(tt.caseNo)
			v.from.SetText(tt.from)
			v.lat.SetText(tt.near[0])
			v.lon.SetText(tt.near[1])
			v.radius.SetText(tt.near[2])
			test.Tap(v.run)
			f.settle()
			if !strings.Contains(v.message.Text, tt.wantMsg) || (tt.wantMsg == "") != (v.message.Text == "") {
				t.Errorf("message %q, want %q", v.message.Text, tt.wantMsg)
			}
			after := audited()
			searches := len(after) - before
			for _, a := range after[before:] {
				if !strings.Contains(a.Detail, tt.caseNo) {
					t.Errorf("audit %q lacks case number %q", a.Detail, tt.caseNo)
				}
				if st := strings.ToUpper(strings.TrimSpace(tt.state)); st != "" && !strings.Contains(a.Detail, `"state":"`+st+`"`) {
					t.Errorf("audit %q lacks the state searched %q", a.Detail, st)
				}
			}
			if tt.wantCount == "" {
				if searches != 0 {
					t.Errorf("a refused search reached the store (%d audited)", searches)
				}
				return
			}
			if searches != 1 {
				t.Errorf("%d searches audited, want 1 (I.C)", searches)
			}
			if v.count.Text != tt.wantCount {
				t.Errorf("count %q, want %q", v.count.Text, tt.wantCount)
			}
			if text := f.screenText(); tt.wantCount != "No detections match." && !strings.Contains(text, "37.95770, -121.29080") {
				t.Errorf("results do not show the position:\n%s", text)
			}
		})
	}
}

func TestShiftCheckSearchesOwnDetections(t *testing.T) {
	f := newFixture(t, nil)
	f.signIn(officer)
	if !strings.Contains(f.u.main.selfCheck.Text, "not done") {
		t.Fatalf("self-check label %q before the check", f.u.main.selfCheck.Text)
	}
	f.clock.Advance(time.Minute)
	f.saveDetections("7ABC123", "4TRK552")
	f.clock.Advance(5 * time.Minute)
	f.u.runSelfCheck()
	f.settle()
	text := f.screenText()
	if !strings.Contains(text, "The system is working: 2 plates stored since 21:30") || !strings.Contains(text, "Latest: 4TRK552") {
		t.Errorf("self-check dialog:\n%s", text)
	}
	if !strings.Contains(f.u.main.selfCheck.Text, "done at 21:36") {
		t.Errorf("self-check label %q", f.u.main.selfCheck.Text)
	}
}

func TestParseArea(t *testing.T) {
	tests := []struct {
		name         string
		lat, lon, rd string
		want         *store.Area
		wantErr      bool
	}{
		{"none", "", "", "", nil, false},
		{"full", "37.9", "-121.3", "150", &store.Area{Lat: 37.9, Lon: -121.3, RadiusM: 150}, false},
		{"latitude out of range", "91", "0", "10", nil, true},
		{"negative radius", "37", "-121", "-5", nil, true},
		{"missing longitude", "37", "", "5", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseArea(tt.lat, tt.lon, tt.rd)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err %v, want error %v", err, tt.wantErr)
			}
			if (got == nil) != (tt.want == nil) || (got != nil && *got != *tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

// A search by plate finds misreads too: the doubtful read among the results says so, the
// sure ones do not.
func TestSearchShowsDoubtfulReads(t *testing.T) {
	f := newFixture(t, nil)
	f.saveDetections("7ABC123", "7ABD555", "4TRK552")
	f.signIn(officer)
	f.searchPlate("7*")
	text := f.screenText()
	// (Each label's text is collected twice: count the doubtful one against all.)
	if all, doubtful := strings.Count(text, "Doubtful read"), strings.Count(text, "Doubtful read (62 % sure)"); doubtful == 0 || all != doubtful {
		t.Errorf("doubtful reads shown: %d, of them the one at 62 %%: %d; want that one only:\n%s", all, doubtful, text)
	}
}

// searchPlate opens the search screen and searches for plate, for a stolen-vehicle
// follow-up under case 25-004411.
func (f *fixture) searchPlate(plate string) {
	f.t.Helper()
	test.Tap(f.u.main.nav[viewSearch])
	v := f.u.main.search
	v.plate.SetText(plate)
	v.purpose.SetSelected(searchPurposes[1])
	v.caseNo.SetText("25-004411")
	test.Tap(v.run)
	f.settle()
}
