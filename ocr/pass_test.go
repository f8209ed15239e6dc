package ocr

import (
	"context"
	"testing"
	"time"

	"gocv.io/x/gocv"

	"patrol-alpr/camera"
	"patrol-alpr/synth"
)

// TestReaderAndTrackerMakeOneDetectionPerVehicle drives a known plate past a
// synthetic camera at 10 frames/s: every frame is read, and the tracker must
// report that plate once, with votes from many frames, not once a frame.
func TestReaderAndTrackerMakeOneDetectionPerVehicle(t *testing.T) {
	const plate = "4TRK519"
	s, err := synth.NewScene(synth.SceneOptions{Seed: 21})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Enqueue("4TRK519", synth.Style{Scheme: synth.California}); err != nil {
		t.Fatal(err)
	}
	r := openTestReader(t)
	tr := NewTracker(TrackerOptions{Window: time.Second})
	defer tr.Close()
	inView, lastSeen := 0, time.Duration(0)
	passes := film(t, r, s, tr, 25*time.Second, func(at time.Duration, truths []synth.Truth) bool {
		for _, tt := range truths {
			if tt.Plate == plate {
				inView++
				lastSeen = at
			}
		}
		return inView == 0 || at-lastSeen < 2*time.Second
	})
	var ours []Pass
	for _, p := range passes {
		if p.Best.Plate == plate {
			ours = append(ours, p)
		}
		p.Best.Crop.Close()
	}
	if inView < 5 {
		t.Fatalf("the plate was in view in only %d frames", inView)
	}
	if len(ours) != 1 {
		t.Fatalf("%d detections of %s over %d frames in view, want 1", len(ours), plate, inView)
	}
	if ours[0].Votes < 3 || ours[0].Frames < ours[0].Votes {
		t.Errorf("pass has %d votes over %d frames", ours[0].Votes, ours[0].Frames)
	}
	t.Logf("%s in view %d frames: one detection, %d votes of %d frames read", plate, inView, ours[0].Votes, ours[0].Frames)
}

// TestTrafficMakesFewFalseDetections films synthetic traffic (two roads, 30 s
// each at 10 frames/s), reads every frame and tracks the reads as a camera's
// loop does: nearly every plate that was in view must come out as a pass with
// its plate, few passes may be of anything else (lettering, misreads), and a
// vehicle hidden behind another for a while must not come out twice.
func TestTrafficMakesFewFalseDetections(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("reads 600 frames; run without -short and -race")
	}
	r := openTestReader(t)
	var inView, readRight, junk, repeats int
	for seed := int64(1); seed <= 2; seed++ {
		s, err := synth.NewScene(synth.SceneOptions{Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		passes := film(t, r, s, NewTracker(TrackerOptions{}), 30*time.Second, func(_ time.Duration, truths []synth.Truth) bool {
			for _, tt := range truths {
				seen[tt.Plate] = true
			}
			return true
		})
		found := map[string]bool{}
		for _, p := range passes {
			if seen[p.Best.Plate] {
				if found[p.Best.Plate] {
					repeats++
					t.Logf("road %d: %s came out in a second pass (first frame at %v)", seed, p.Best.Plate, p.First.Format("15:04:05.0"))
				}
				found[p.Best.Plate] = true
			} else {
				junk++
				t.Logf("road %d: pass of %s (%d of %d frames, %.2f) is no plate in view", seed, p.Best.Plate, p.Votes, p.Frames, p.Best.Confidence)
			}
			p.Best.Crop.Close()
		}
		inView += len(seen)
		readRight += len(found)
	}
	t.Logf("%d plates in view, %d read right in a pass, %d passes of something else, %d second passes", inView, readRight, junk, repeats)
	if readRight < inView*9/10 || junk > inView/8 {
		t.Errorf("%d of %d plates read right, %d false passes", readRight, inView, junk)
	}
	if repeats > inView/20 {
		t.Errorf("%d plates came out in two passes or more, want at most %d of %d", repeats, inView/20, inView)
	}
}

// film drives scene s past a synthetic camera at 10 frames/s for up to d:
// every frame is read by r and its reads tracked by tr, until each returns
// false for a frame's time and plates in view. It returns the passes, tr
// flushed.
func film(t *testing.T, r *Reader, s *synth.Scene, tr *Tracker, d time.Duration, each func(at time.Duration, truths []synth.Truth) bool) []Pass {
	t.Helper()
	const fps = 10
	cam := camera.NewSynthetic(s, fps)
	if err := cam.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer cam.Close()
	frame := gocv.NewMat()
	defer frame.Close()
	start := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	var passes []Pass
	for n := 0; time.Duration(n)*time.Second/fps < d; n++ {
		at := time.Duration(n) * time.Second / fps
		if err := cam.Read(&frame); err != nil {
			t.Fatal(err)
		}
		reads, err := r.Read(frame)
		if err != nil {
			t.Fatal(err)
		}
		passes = append(passes, tr.Add(start.Add(at), reads)...)
		closeReads(reads)
		if !each(at, cam.Truth()) {
			break
		}
	}
	return append(passes, tr.Flush()...)
}
