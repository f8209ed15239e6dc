package store_test

import (
	"context"
	"errors"
	"fmt"
	"image"
	"reflect"
	"sync"
	"testing"
	"time"

	"patrol-alpr/alpr"
	"patrol-alpr/store"
)

func TestSaveDetectionRejectsBadRecords(t *testing.T) {
	cases := []struct {
		name   string
		change func(d *alpr.Detection)
	}{
		{"empty plate", func(d *alpr.Detection) { d.Plate = "" }},
		{"plate not normalised", func(d *alpr.Detection) { d.Plate = "7abc-123" }},
		{"no camera", func(d *alpr.Detection) { d.Camera = "" }},
		{"no time", func(d *alpr.Detection) { d.SeenAt = time.Time{} }},
		{"confidence above 1", func(d *alpr.Detection) { d.Confidence = 1.5 }},
		{"negative confidence", func(d *alpr.Detection) { d.Confidence = -0.1 }},
	}
	db, _ := openTest(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := detection("7ABC123", t0)
			c.change(d)
			if err := db.SaveDetection(context.Background(), d); !errors.Is(err, store.ErrInvalid) {
				t.Fatalf("err = %v, want ErrInvalid", err)
			}
		})
	}
	if n, _ := db.CountDetections(context.Background()); n != 0 {
		t.Fatalf("%d invalid detections were stored", n)
	}
}

func TestDetectionRoundTrip(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	cases := []struct {
		name string
		d    *alpr.Detection
	}{
		{"full", func() *alpr.Detection {
			d := detection("7ABC123", t0.Add(123456789))
			d.Box = []image.Point{{10, 20}, {110, 20}, {110, 50}, {10, 50}}
			d.Fix.SpeedMS, d.Fix.Heading = 13.4, 271.5
			return d
		}()},
		{"no GPS fix, no images, no alternates", &alpr.Detection{Camera: alpr.Cam3, SeenAt: t0, Plate: "1ABC234", Confidence: 0.5}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := db.SaveDetection(ctx, c.d); err != nil {
				t.Fatal(err)
			}
			got, err := db.Detection(ctx, c.d.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, *c.d) {
				t.Fatalf("read back\n%+v\nwant\n%+v", got, *c.d)
			}
		})
	}
}

func TestSaveDetectionTwiceIsHarmless(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	d := detection("7ABC123", t0)
	if err := db.SaveDetection(ctx, d); err != nil {
		t.Fatal(err)
	}
	again := detection("7ABC123", t0)
	again.UUID = d.UUID
	if err := db.SaveDetection(ctx, again); err != nil {
		t.Fatal(err)
	}
	if again.ID != d.ID {
		t.Fatalf("retried save got id %d, want %d", again.ID, d.ID)
	}
	n, _ := db.CountDetections(ctx)
	out, _ := db.OutboxLen(ctx)
	if n != 1 || out != 1 {
		t.Fatalf("after a retried save: %d detections, %d outbox items; want 1 and 1", n, out)
	}
}

func TestDetectionsSince(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	for i, p := range []string{"1AAA111", "2BBB222", "3CCC333"} {
		if err := db.SaveDetection(ctx, detection(p, t0.Add(time.Duration(i)*time.Hour))); err != nil {
			t.Fatal(err)
		}
	}
	ds, err := db.DetectionsSince(ctx, t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 2 || ds[0].Plate != "2BBB222" || ds[1].Plate != "3CCC333" || ds[0].HasImages() {
		t.Fatalf("DetectionsSince = %+v", ds)
	}
	if _, err := db.Detection(ctx, 999); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Detection(999) = %v, want ErrNotFound", err)
	}
}

func TestConcurrentSavesShareCommitsButNotFailures(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	const writers, each = 4, 25
	type result struct {
		d   *alpr.Detection
		bad bool
		err error
	}
	results := make(chan result, writers*each)
	var wg sync.WaitGroup
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				d := detection(fmt.Sprintf("%dCON%03d", w, i), t0)
				bad := i%10 == 3
				if bad {
					d.ShiftID = 999 // no such shift: the foreign key refuses it inside the batch
				}
				results <- result{d, bad, db.SaveDetection(ctx, d)}
			}
		}()
	}
	wg.Wait()
	close(results)
	ids := map[int64]bool{}
	good := 0
	for r := range results {
		switch {
		case r.bad && r.err == nil:
			t.Errorf("%s with an unknown shift was saved", r.d.Plate)
		case !r.bad && r.err != nil:
			t.Errorf("%s failed with its batch: %v", r.d.Plate, r.err)
		case !r.bad:
			if ids[r.d.ID] {
				t.Errorf("id %d given twice", r.d.ID)
			}
			ids[r.d.ID] = true
			if got, err := db.Detection(ctx, r.d.ID); err != nil || got.UUID != r.d.UUID {
				t.Errorf("detection %d: %v", r.d.ID, err)
			}
			good++
		}
	}
	if n, _ := db.CountDetections(ctx); n != int64(good) {
		t.Fatalf("%d detections stored, %d saves succeeded", n, good)
	}
}
