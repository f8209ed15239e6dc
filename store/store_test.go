package store_test

import (
	"context"
	"path/filepath"
	"patrol-alpr/internal/testclock"
	"testing"
	"time"

	"patrol-alpr/alpr"
	"patrol-alpr/store"
)

// clock is a settable test clock, safe for concurrent use.
type clock = testclock.Clock

func newClock(t time.Time) *clock { return testclock.New(t) }

// t0 is a fixed instant the tests start from.
var t0 = time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC)

// openTest opens a fresh store in a temporary directory with a test clock.
func openTest(t testing.TB) (*store.DB, *clock) {
	t.Helper()
	c := newClock(t0)
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "alpr.db"),
		store.Options{Now: c.Now, PINIterations: 1000})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Error(err)
		}
	})
	return db, c
}

// detection builds a valid detection of plate seen at at.
func detection(plate string, at time.Time) *alpr.Detection {
	return &alpr.Detection{
		Camera: alpr.Cam2, SeenAt: at, Plate: plate, State: "CA", Confidence: 0.93,
		Alternates: []alpr.Alternate{{Plate: plate + "X", Score: 0.4}},
		Fix:        alpr.Fix{Lat: 37.9577, Lon: -121.2908, Time: at, Quality: alpr.Fix3D, Satellites: 9, HDOP: 0.9},
		PlateJPEG:  []byte("plate-jpeg-" + plate),
		SceneJPEG:  []byte("scene-jpeg-" + plate),
	}
}

var investigation = store.Purpose{OperatorID: "P1234", Purpose: "stolen vehicle investigation", CaseNumber: "25-004411"}

func TestSaveAndSearchRoundTrip(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	d := detection("7ABC123", t0)
	if err := db.SaveDetection(ctx, d); err != nil {
		t.Fatal(err)
	}
	if d.ID == 0 || d.UUID == "" {
		t.Fatalf("SaveDetection left ID %d UUID %q", d.ID, d.UUID)
	}
	got, err := db.SearchDetections(ctx, store.Query{Plate: "*ABC*"}, investigation)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].UUID != d.UUID {
		t.Fatalf("search *ABC* = %+v, want %s", got, d.UUID)
	}
	if err := db.VerifyAudit(ctx); err != nil {
		t.Fatal(err)
	}
}
