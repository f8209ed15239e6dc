package hotlist

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"patrol-alpr/alpr"
	"patrol-alpr/config"
)

func TestValidateHotPlate(t *testing.T) {
	now := shiftStart
	day := 24 * time.Hour
	full := alpr.HotEntry{Plate: "8ABC123", State: "CA", EnteredBy: "Ofc. Ortiz", Phone: "209-555-0100",
		DRNumber: "26-012345", Synopsis: "robbery suspect vehicle", ExpiresAt: now.Add(10 * day)}
	with := func(f func(*alpr.HotEntry)) alpr.HotEntry { e := full; f(&e); return e }
	cases := []struct {
		name        string
		e           alpr.HotEntry
		distributed bool
		want        []error // each must match with errors.Is; none: valid
		says        string
	}{
		{"complete, distributed", full, true, nil, ""},
		{"30 days exactly", with(func(e *alpr.HotEntry) { e.ExpiresAt = now.Add(30 * day) }), false, nil, ""},
		{"no expiry", with(func(e *alpr.HotEntry) { e.ExpiresAt = time.Time{} }), false, []error{ErrNoExpiry}, "IV.D.1"},
		{"31 days", with(func(e *alpr.HotEntry) { e.ExpiresAt = now.Add(31 * day) }), false, []error{ErrExpiryTooLate}, "31 days after entry; at most 30 days (IV.D.1)"},
		{"counted from entry, not now", with(func(e *alpr.HotEntry) {
			e.EnteredAt, e.ExpiresAt = now.Add(-5*day), now.Add(26*day)
		}), false, []error{ErrExpiryTooLate}, "31 days after entry"},
		{"SVS 7 days", with(func(e *alpr.HotEntry) { e.Code, e.ExpiresAt = "SVS", now.Add(7*day) }), false, nil, ""},
		{"SVS 8 days", with(func(e *alpr.HotEntry) { e.Code, e.ExpiresAt = "SVS", now.Add(8*day) }), false, []error{ErrExpiryTooLate}, "at most 7 days (IV.D.4, SVS)"},
		{"slr lower case", with(func(e *alpr.HotEntry) { e.Code, e.ExpiresAt = "slr", now.Add(8*day) }), false, []error{ErrExpiryTooLate}, "IV.D.4, SLR"},
		{"SFR", with(func(e *alpr.HotEntry) { e.Code, e.ExpiresAt = "SFR", now.Add(8*day) }), false, []error{ErrExpiryTooLate}, "IV.D.4"},
		{"already expired", with(func(e *alpr.HotEntry) { e.ExpiresAt = now.Add(-time.Minute) }), false, []error{ErrBadHotPlate}, "not after entry"},
		{"distributed without details", alpr.HotEntry{Plate: "8ABC123", ExpiresAt: now.Add(day)}, true, []error{ErrMissingDetails},
			"needs the entering officer's name, contact phone, DR number, synopsis (IV.D.2)"},
		{"one officer needs no details", alpr.HotEntry{Plate: "8ABC123", ExpiresAt: now.Add(day)}, false, nil, ""},
		{"distributed without DR", with(func(e *alpr.HotEntry) { e.DRNumber = " " }), true, []error{ErrMissingDetails}, "needs the DR number (IV.D.2)"},
		{"bad plate and no expiry at once", alpr.HotEntry{Plate: "AB#1"}, false, []error{ErrBadHotPlate, ErrNoExpiry}, "bad character '#'"},
		{"bad state", with(func(e *alpr.HotEntry) { e.State = "California" }), false, []error{ErrBadHotPlate}, "two-letter"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := ValidateHotPlate(tc.e, tc.distributed, now)
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("ValidateHotPlate = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatal("ValidateHotPlate = nil, want an error")
			}
			for _, w := range tc.want {
				if !errors.Is(err, w) {
					t.Errorf("error %q is not %v", err, w)
				}
			}
			if !strings.Contains(err.Error(), tc.says) {
				t.Errorf("error %q does not say %q", err, tc.says)
			}
		})
	}
}

func TestAddHotPlate(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, Options{})
	d := alpr.Detection{Camera: alpr.Cam2, SeenAt: shiftStart.Add(-20 * time.Minute), Plate: "8ABC123", State: "CA", Confidence: 0.8}
	if err := r.db.SaveDetection(ctx, &d); err != nil {
		t.Fatal(err)
	}
	e := alpr.HotEntry{Plate: "8abc-123", State: "ca", EnteredBy: "Ofc. Ortiz", Phone: "209-555-0100", DRNumber: "26-1",
		Synopsis: "robbery", ExpiresAt: shiftStart.Add(48 * time.Hour)}
	late, err := r.m.AddHotPlate(ctx, e, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(late) != 1 || late[0].DetectionID != d.ID || late[0].Match.Entry.List != "OFFICER" {
		t.Errorf("late hits = %+v, want one for the read 20 minutes ago", late)
	}
	m := r.m.Index().Match(matcherQuery("8ABC123", shiftStart.Add(time.Hour)))
	if len(m) != 1 || m[0].Entry.DRNumber != "26-1" || m[0].Entry.State != "CA" {
		t.Fatalf("hot plate not matching: %+v", m)
	}
	if m := r.m.Index().Match(matcherQuery("8ABC123", shiftStart.Add(48*time.Hour))); len(m) != 0 {
		t.Error("hot plate still matches at its expiry instant")
	}
	stored, err := r.db.HotPlates(ctx, shiftStart)
	if err != nil || len(stored) != 1 {
		t.Errorf("store hot plates = %+v, %v", stored, err)
	}
	// A restart finds it again.
	m2, err := NewManager(Options{HotPlates: r.db, Now: r.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	if err := m2.Load(ctx); err != nil {
		t.Fatal(err)
	}
	if len(m2.Index().Match(matcherQuery("8ABC123", shiftStart))) != 1 {
		t.Error("hot plate not restored by Load")
	}
	// A bad one is refused before the store sees it.
	e.ExpiresAt = shiftStart.Add(40 * 24 * time.Hour)
	if _, err := r.m.AddHotPlate(ctx, e, true); !errors.Is(err, ErrExpiryTooLate) {
		t.Errorf("AddHotPlate with a 40-day expiry: %v", err)
	}
}

func TestShareable(t *testing.T) {
	cases := []struct {
		name string
		l    alpr.HotList
		want bool
	}{
		{"general list", alpr.HotList{Name: "NCIC", Kind: alpr.General}, true},
		{"departmental, not approved", alpr.HotList{Name: "GANG", Kind: alpr.Special, Departmental: true}, false},
		{"departmental, approved", alpr.HotList{Name: "GANG", Kind: alpr.Special, Departmental: true, ShareApproved: true}, true},
	}
	for _, tc := range cases {
		if got := Shareable(tc.l); got != tc.want {
			t.Errorf("%s: Shareable = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestSourcesFromConfig(t *testing.T) {
	got, err := SourcesFromConfig([]config.HotListSource{
		{Name: "SVS", URL: "https://doj.example/svs", Format: "cadoj", Kind: "general", Priority: 7, Tolerance: "exact"},
		{Name: "GANG", URL: "/lists/gang.csv", Format: "csv", Kind: "special", Informational: true, Departmental: true, Tolerance: "look-alike-or-indel"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got[0].List.Tolerance != alpr.Exact || got[0].Format != FormatCADOJ || got[0].List.Kind != alpr.General || got[0].List.Priority != 7 {
		t.Errorf("SVS source = %+v", got[0])
	}
	if got[1].List.Tolerance != alpr.LookAlikeOrIndel || !got[1].List.Informational || !got[1].List.Departmental {
		t.Errorf("GANG source = %+v", got[1])
	}
	if _, err := SourcesFromConfig([]config.HotListSource{{Name: "X", Kind: "general", Tolerance: "fuzzy"}}); err == nil {
		t.Error("unknown tolerance accepted")
	}
}

func TestFileSource(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := dir + "/bolo.txt"
	if err := writeFile(path, lines("ABC123;CA")); err != nil {
		t.Fatal(err)
	}
	m, err := NewManager(Options{Sources: []Source{{List: alpr.HotList{Name: "BOLO", Kind: alpr.Special},
		URL: path, Format: FormatPlateState}}, Now: func() time.Time { return shiftStart }})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	got := m.Index().Match(matcherQuery("ABC123", shiftStart))
	if len(got) != 1 || !got[0].Entry.Informational {
		t.Errorf("BOLO from a file: %+v; want one informational hit (Special list, IV.C.4)", got)
	}
}
