package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"patrol-alpr/alpr"
	"patrol-alpr/store"
)

func TestPurgeKeepsEvidenceAndRemovesTheRest(t *testing.T) {
	ctx := context.Background()
	db, c := openTest(t)
	twoYears := store.DefaultRetention
	hit := func(t *testing.T, d *alpr.Detection, evidence bool) {
		h := &alpr.Hit{DetectionID: d.ID, Match: alpr.Match{Entry: alpr.HotEntry{List: "SVS", Plate: d.Plate}, ReadPlate: d.Plate, Kind: alpr.MatchExact}}
		if err := db.SaveHit(ctx, h); err != nil {
			t.Fatal(err)
		}
		disp := alpr.Disposition{Outcome: alpr.Confirmed, ConfirmedBy: alpr.ConfirmedByRadio, Evidence: evidence, OperatorID: "P1"}
		if err := db.SetDisposition(ctx, h.ID, disp); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		name  string
		plate string
		age   time.Duration
		setup func(t *testing.T, d *alpr.Detection)
		kept  bool
	}{
		{"young", "1YNG001", 365 * 24 * time.Hour, nil, true},
		{"just inside retention", "1INS001", twoYears - time.Hour, nil, true},
		{"just past retention", "1PST001", twoYears + time.Hour, nil, false},
		{"old", "1OLD001", 3 * twoYears / 2, nil, false},
		{"old under evidence hold", "1HLD001", 3 * twoYears / 2, func(t *testing.T, d *alpr.Detection) {
			if err := db.HoldEvidence(ctx, d.ID, "25-000123", "P1"); err != nil {
				t.Fatal(err)
			}
		}, true},
		{"old with evidence hit", "1EVD001", 3 * twoYears / 2, func(t *testing.T, d *alpr.Detection) { hit(t, d, true) }, true},
		{"old with plain hit", "1HIT001", 3 * twoYears / 2, func(t *testing.T, d *alpr.Detection) { hit(t, d, false) }, false},
		{"old, evidence mark withdrawn", "1WDR001", 3 * twoYears / 2, func(t *testing.T, d *alpr.Detection) {
			hit(t, d, true)
			hs, _ := db.Hits(ctx, time.Time{})
			for _, h := range hs {
				if h.DetectionID == d.ID {
					db.SetDisposition(ctx, h.ID, alpr.Disposition{Outcome: alpr.Rejected, Reason: alpr.RejectMisread, OperatorID: "P1"})
				}
			}
		}, false},
	}
	ids := map[string]int64{}
	wantGone := 0
	for _, tc := range cases {
		d := detection(tc.plate, t0.Add(-tc.age))
		if err := db.SaveDetection(ctx, d); err != nil {
			t.Fatal(err)
		}
		if tc.setup != nil {
			tc.setup(t, d)
		}
		ids[tc.name] = d.ID
		if !tc.kept {
			wantGone++
		}
	}
	c.Advance(time.Minute) // the purge runs a little after the records were made

	r, err := db.Purge(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if r.Detections != int64(wantGone) || r.Images != int64(wantGone) || r.Hits != 2 || r.Kept != 2 {
		t.Errorf("purge report %+v, want %d detections and images, 2 hits, 2 kept", r, wantGone)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := db.Detection(ctx, ids[tc.name])
			switch {
			case tc.kept && err != nil:
				t.Fatalf("kept detection: %v", err)
			case !tc.kept && !errors.Is(err, store.ErrNotFound):
				t.Fatalf("purged detection still readable (err %v)", err)
			}
			// The plate index forgets purged plates too.
			got, err := db.SearchDetections(ctx, store.Query{Plate: "*" + tc.plate[1:4] + "*"}, investigation)
			if err != nil {
				t.Fatal(err)
			}
			if (len(got) == 1) != tc.kept {
				t.Fatalf("search after purge found %d, kept=%t", len(got), tc.kept)
			}
		})
	}

	es, err := db.AuditLog(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	var purge *store.AuditEntry
	for i := range es {
		if es[i].Action == store.ActionPurge {
			purge = &es[i]
		}
	}
	if purge == nil || !strings.Contains(purge.Detail, "removed 4 detections") || !strings.Contains(purge.Detail, "kept 2") {
		t.Fatalf("purge audit entry = %+v", purge)
	}
	if err := db.VerifyAudit(ctx); err != nil {
		t.Fatal(err)
	}

	// A second purge finds nothing more to do, and says so in the log.
	r, err = db.Purge(ctx)
	if err != nil || r.Detections != 0 || r.Kept != 2 {
		t.Fatalf("second purge = %+v, %v", r, err)
	}
}

func TestPurgeEveryStopsWhenCancelled(t *testing.T) {
	db, _ := openTest(t)
	ctx, cancel := context.WithCancel(context.Background())
	runs := make(chan error, 10)
	done := make(chan error, 1)
	go func() {
		done <- db.PurgeEvery(ctx, time.Hour, func(_ store.PurgeReport, err error) { runs <- err })
	}()
	if err := <-runs; err != nil { // the first purge runs at once
		t.Fatal(err)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("PurgeEvery returned %v, want context.Canceled", err)
	}
}
