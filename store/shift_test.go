package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"patrol-alpr/alpr"
	"patrol-alpr/store"
)

// TestCloseOpenShifts: a shift cut off by a crash is closed at the next start, at its last
// detection (or its start when it read nothing), audited as such; closed shifts are left alone.
func TestCloseOpenShifts(t *testing.T) {
	ctx := context.Background()
	db, clock := openTest(t)
	if err := db.PutOperator(ctx, officer, "482916"); err != nil {
		t.Fatal(err)
	}
	ended, err := db.StartShift(ctx, officer.ID, "2317")
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Hour)
	if err := db.EndShift(ctx, ended.ID); err != nil {
		t.Fatal(err)
	}
	read, err := db.StartShift(ctx, officer.ID, "2317")
	if err != nil {
		t.Fatal(err)
	}
	last := t0.Add(90 * time.Minute)
	for _, at := range []time.Time{t0.Add(70 * time.Minute), last} {
		d := detection("7ABC123", at)
		d.ShiftID = read.ID
		if err := db.SaveDetection(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	clock.Advance(time.Hour)
	empty, err := db.StartShift(ctx, officer.ID, "2318")
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(28 * time.Hour) // the next start, the day after

	closed, err := db.CloseOpenShifts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int64]time.Time{read.ID: last, empty.ID: empty.StartedAt}
	if len(closed) != len(want) {
		t.Fatalf("closed %+v, want shifts %v", closed, want)
	}
	for _, s := range closed {
		if w, ok := want[s.ID]; !ok || !s.EndedAt.Equal(w) {
			t.Errorf("shift %d closed at %s, want %s", s.ID, s.EndedAt, w)
		}
	}
	again, err := db.CloseOpenShifts(ctx)
	if err != nil || len(again) != 0 {
		t.Fatalf("second start closed %+v (%v), want none", again, err)
	}
	log, err := db.AuditLog(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range log {
		if e.Action == store.ActionShiftClosedAtStart {
			n++
			if !strings.Contains(e.Detail, "no sign-out") {
				t.Errorf("audit entry %q does not say why", e.Detail)
			}
		}
	}
	if n != 2 {
		t.Errorf("%d audit entries of shifts closed at start, want 2", n)
	}
}

// TestHitsOfDetections: each detection's hits come back with their latest disposition, for
// the search results.
func TestHitsOfDetections(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	var ids []int64
	for _, p := range []string{"7ABC123", "7XYZ999", "5DEF456"} {
		d := detection(p, t0)
		if err := db.SaveDetection(ctx, d); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, d.ID)
	}
	entry := alpr.HotEntry{List: "SVS", Plate: "7ABC123", State: "CA", Reason: "stolen vehicle"}
	h := alpr.Hit{DetectionID: ids[0], Match: alpr.Match{Entry: entry, Kind: alpr.MatchExact, ReadPlate: "7ABC123"}, RaisedAt: t0}
	if err := db.SaveHit(ctx, &h); err != nil {
		t.Fatal(err)
	}
	entry.Plate = "7XYZ999"
	h2 := alpr.Hit{DetectionID: ids[1], Match: alpr.Match{Entry: entry, Kind: alpr.MatchExact, ReadPlate: "7XYZ999"}, RaisedAt: t0}
	if err := db.SaveHit(ctx, &h2); err != nil {
		t.Fatal(err)
	}
	if err := db.SetDisposition(ctx, h.ID, alpr.Disposition{Outcome: alpr.Confirmed, ConfirmedBy: alpr.ConfirmedByRadio,
		OperatorID: officer.ID, VehicleNumber: "2317", At: t0}); err != nil {
		t.Fatal(err)
	}
	got, err := db.HitsOfDetections(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case len(got[ids[0]]) != 1 || got[ids[0]][0].Disposition == nil || got[ids[0]][0].Disposition.Outcome != alpr.Confirmed:
		t.Errorf("detection %d: %+v, want one confirmed hit", ids[0], got[ids[0]])
	case len(got[ids[1]]) != 1 || got[ids[1]][0].Disposition != nil:
		t.Errorf("detection %d: %+v, want one hit awaiting a disposition", ids[1], got[ids[1]])
	case len(got[ids[2]]) != 0:
		t.Errorf("detection %d: %+v, want no hit", ids[2], got[ids[2]])
	}
}
