package store_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"patrol-alpr/alpr"
	"patrol-alpr/store"
)

// searchFixture stores a handful of plates with known times, cameras and places.
func searchFixture(t *testing.T) *store.DB {
	t.Helper()
	ctx := context.Background()
	db, _ := openTest(t)
	rows := []struct {
		plate    string
		ago      time.Duration
		cam      alpr.CameraID
		state    string // "" when the reader named none
		lat, lon float64
	}{
		{"7ABC123", 1 * time.Hour, alpr.Cam1, "CA", 37.9577, -121.2908},  // downtown Stockton
		{"7ABC124", 2 * time.Hour, alpr.Cam2, "NV", 37.9580, -121.2910},  // ~40 m away
		{"8ABC123", 3 * time.Hour, alpr.Cam3, "CA", 38.5816, -121.4944},  // Sacramento
		{"4XYZ789", 4 * time.Hour, alpr.Cam1, "", 37.9577, -121.2908},    //
		{"ABC1234", 5 * time.Hour, alpr.Cam2, "", 0, 0},                  // no GPS fix
		{"123ABC", 50 * time.Hour, alpr.Cam3, "", 37.9577, -121.2908},    //
		{"7ABD123", 60 * time.Hour, alpr.Cam1, "CA", 37.9577, -121.2908}, //
	}
	for _, r := range rows {
		d := detection(r.plate, t0.Add(-r.ago))
		d.Camera, d.State = r.cam, r.state
		d.Fix = alpr.Fix{Lat: r.lat, Lon: r.lon, Quality: alpr.Fix3D}
		if r.lat == 0 {
			d.Fix = alpr.Fix{}
		}
		if err := db.SaveDetection(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

func TestSearchDetections(t *testing.T) {
	db := searchFixture(t)
	cases := []struct {
		name string
		q    store.Query
		want []string // newest first
	}{
		{"exact", store.Query{Plate: "7ABC123"}, []string{"7ABC123"}},
		{"exact with spaces and lower case", store.Query{Plate: "7abc 123"}, []string{"7ABC123"}},
		{"exact finds nothing partial", store.Query{Plate: "ABC"}, nil},
		{"contains", store.Query{Plate: "*ABC*"}, []string{"7ABC123", "7ABC124", "8ABC123", "ABC1234", "123ABC"}},
		{"prefix", store.Query{Plate: "7AB*"}, []string{"7ABC123", "7ABC124", "7ABD123"}},
		{"suffix", store.Query{Plate: "*123"}, []string{"7ABC123", "8ABC123", "7ABD123"}},
		{"one unknown", store.Query{Plate: "7ABC12?"}, []string{"7ABC123", "7ABC124"}},
		{"unknown first", store.Query{Plate: "?ABC123"}, []string{"7ABC123", "8ABC123"}},
		{"sparse, no three known in a row", store.Query{Plate: "?A?C*"}, []string{"7ABC123", "7ABC124", "8ABC123"}},
		{"? is exactly one", store.Query{Plate: "?ABC"}, nil},
		{"star matches empty", store.Query{Plate: "123ABC*"}, []string{"123ABC"}},
		{"only wildcards", store.Query{Plate: "*"}, []string{"7ABC123", "7ABC124", "8ABC123", "4XYZ789", "ABC1234", "123ABC", "7ABD123"}},
		{"time window", store.Query{From: t0.Add(-3 * time.Hour), To: t0.Add(-1 * time.Hour)}, []string{"7ABC124", "8ABC123"}},
		{"camera", store.Query{Plate: "*ABC*", Camera: alpr.Cam2}, []string{"7ABC124", "ABC1234"}},
		{"state", store.Query{State: "CA"}, []string{"7ABC123", "8ABC123", "7ABD123"}},
		{"state in lower case, with a pattern", store.Query{Plate: "*ABC*", State: " nv "}, []string{"7ABC124"}},
		{"state no plate was read in", store.Query{State: "TX"}, nil},
		{"near downtown", store.Query{Near: &store.Area{Lat: 37.9577, Lon: -121.2908, RadiusM: 100}, To: t0.Add(-90 * time.Minute)},
			[]string{"7ABC124", "4XYZ789", "123ABC", "7ABD123"}},
		{"near excludes 40 m when radius 10 m", store.Query{Plate: "7ABC12?", Near: &store.Area{Lat: 37.9577, Lon: -121.2908, RadiusM: 10}},
			[]string{"7ABC123"}},
		{"limit keeps the newest", store.Query{Plate: "*ABC*", Limit: 2}, []string{"7ABC123", "7ABC124"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ds, err := db.SearchDetections(context.Background(), c.q, investigation)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, d := range ds {
				got = append(got, d.Plate)
				if d.PlateJPEG != nil || d.SceneJPEG != nil {
					t.Errorf("search returned images for %s", d.Plate)
				}
			}
			if !slices.Equal(got, c.want) {
				t.Fatalf("got %v, want %v", got, c.want)
			}
		})
	}
}

func TestSearchNeedsPurposeAndIsAudited(t *testing.T) {
	ctx := context.Background()
	db := searchFixture(t)
	for _, p := range []store.Purpose{
		{},
		{OperatorID: "P1234", Purpose: "curiosity"},
		{OperatorID: "P1234", CaseNumber: "25-1"},
		{Purpose: "stolen vehicle", CaseNumber: "25-1"},
		{OperatorID: "P1234", Purpose: "   ", CaseNumber: "25-1"},
	} {
		if _, err := db.SearchDetections(ctx, store.Query{Plate: "7ABC123"}, p); !errors.Is(err, store.ErrPurposeRequired) {
			t.Errorf("search with %+v: err = %v, want ErrPurposeRequired", p, err)
		}
	}
	es, _ := db.AuditLog(ctx, time.Time{})
	for _, e := range es {
		if e.Action == store.ActionSearch {
			t.Fatalf("a refused search was logged as run: %+v", e)
		}
	}

	if _, err := db.SearchDetections(ctx, store.Query{Plate: "--"}, investigation); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("search for %q: err = %v, want ErrInvalid", "--", err)
	}
	if _, err := db.SearchDetections(ctx, store.Query{Plate: "*ABC*"}, investigation); err != nil {
		t.Fatal(err)
	}
	es, err := db.AuditLog(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	last := es[len(es)-1]
	for _, want := range []string{investigation.Purpose, investigation.CaseNumber, "*ABC*", `"results":5`} {
		if last.Action != store.ActionSearch || last.Actor != investigation.OperatorID || !strings.Contains(last.Detail, want) {
			t.Fatalf("audit entry %+v does not record %q", last, want)
		}
	}
}

// TestNoSearchWithoutAuditEntry fills the database (Options.MaxPages, as in
// TestDiskFull) so that the audit entry cannot be written: the search must then
// return an error and no detections.
func TestNoSearchWithoutAuditEntry(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "alpr.db"), store.Options{MaxPages: 80})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.SaveDetection(ctx, detection("7ABC123", t0)); err != nil {
		t.Fatal(err)
	}
	// Large entries first, then the smallest, until not even those fit.
	for _, size := range []int{200, 0} {
		for i := 0; ; i++ {
			err := db.Audit(ctx, "P1", "fill", strings.Repeat("x", size))
			if errors.Is(err, store.ErrDiskFull) {
				break
			}
			if err != nil || i > 100_000 {
				t.Fatalf("filling the audit log: %v after %d entries", err, i)
			}
		}
	}
	ds, err := db.SearchDetections(ctx, store.Query{Plate: "7ABC123"}, investigation)
	if !errors.Is(err, store.ErrDiskFull) || ds != nil {
		t.Fatalf("search with a full audit log = %d results, %v; want none and ErrDiskFull", len(ds), err)
	}
}

// TestSearchRefusesABadState: a state that is not two letters is refused with ErrInvalid
// before anything is searched.
func TestSearchRefusesABadState(t *testing.T) {
	db := searchFixture(t)
	for _, st := range []string{"C", "CAL", "C4", "--"} {
		if _, err := db.SearchDetections(context.Background(), store.Query{State: st}, investigation); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("state %q: error %v, want ErrInvalid", st, err)
		}
	}
}
