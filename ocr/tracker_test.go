package ocr

import (
	"image"
	"testing"
	"time"
)

// sighting is one plate read in one frame of a scripted pass.
type sighting struct {
	frame int // frame number at 10 frames/s
	plate string
	conf  float64
	x     int // left edge of the plate in the frame
}

func readAt(s sighting) PlateRead {
	q := [4]image.Point{{s.x, 300}, {s.x + 100, 300}, {s.x + 100, 350}, {s.x, 350}}
	return PlateRead{Plate: s.plate, Confidence: s.conf, Quad: q}
}

func TestTrackerOneDetectionPerPass(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 14, 0, 0, 0, time.UTC)
	frameTime := func(f int) time.Time { return t0.Add(time.Duration(f) * 100 * time.Millisecond) }
	type want struct {
		plate string
		votes int
		first int
	}
	tests := []struct {
		name   string
		seen   []sighting
		window time.Duration // the tracker's; 0: its default
		frames int           // frames fed in all (the rest have no reads)
		want   []want
	}{
		{
			name:   "one car, one misread, is one detection with the majority plate",
			window: 1500 * time.Millisecond,
			seen:   []sighting{{0, "8ABC123", .8, 100}, {1, "BABC123", .85, 120}, {2, "8ABC123", .7, 140}, {3, "8ABC123", .75, 160}},
			frames: 30,
			want:   []want{{"8ABC123", 3, 0}},
		},
		{
			name:   "two cars in view at once are two detections",
			window: 1500 * time.Millisecond,
			seen:   []sighting{{0, "7XYZ001", .9, 100}, {0, "4KLM222", .9, 800}, {1, "7XYZ001", .9, 110}, {1, "4KLM222", .9, 790}},
			frames: 30,
			want:   []want{{"7XYZ001", 2, 0}, {"4KLM222", 2, 0}},
		},
		{
			name:   "the same plate after the window is a second pass",
			window: 1500 * time.Millisecond,
			seen:   []sighting{{0, "5QRS777", .9, 100}, {1, "5QRS777", .9, 110}, {40, "5QRS777", .9, 100}},
			frames: 70,
			want:   []want{{"5QRS777", 2, 0}, {"5QRS777", 1, 40}},
		},
		{
			name:   "a gap shorter than the window does not split the pass",
			window: 1500 * time.Millisecond,
			seen:   []sighting{{0, "6TUV888", .9, 100}, {12, "6TUV888", .9, 400}},
			frames: 40,
			want:   []want{{"6TUV888", 2, 0}},
		},
		{
			name:   "lettering glimpsed in one frame and read unsure is no detection",
			window: 1500 * time.Millisecond,
			seen:   []sighting{{0, "3JKL456", .9, 100}, {1, "3JKL456", .9, 110}, {1, "GEORC", .5, 600}},
			frames: 30,
			want:   []want{{"3JKL456", 2, 0}},
		},
		{
			name:   "a plate read unsure in two frames is a detection",
			window: 1500 * time.Millisecond,
			seen:   []sighting{{0, "9MNP321", .4, 100}, {1, "9MNP321", .5, 110}},
			frames: 30,
			want:   []want{{"9MNP321", 2, 0}},
		},
		{
			name:   "a confident single read beats two weak ones",
			window: 1500 * time.Millisecond,
			seen:   []sighting{{0, "2DEF456", .2, 100}, {1, "2DEF456", .2, 105}, {2, "2DEF458", .95, 110}},
			frames: 30,
			want:   []want{{"2DEF458", 1, 0}},
		},
		{
			name:   "under the default window, a car hidden behind another for 3 s is one pass",
			seen:   []sighting{{0, "3GHJ456", .9, 100}, {1, "3GHJ456", .9, 110}, {31, "3GHJ456", .9, 400}, {32, "3GHJ456", .9, 410}},
			frames: 90,
			want:   []want{{"3GHJ456", 4, 0}},
		},
		{
			name:   "under the default window, the same plate 6 s later is a second pass",
			seen:   []sighting{{0, "3GHJ456", .9, 100}, {1, "3GHJ456", .9, 110}, {61, "3GHJ456", .9, 100}, {62, "3GHJ456", .9, 110}},
			frames: 120,
			want:   []want{{"3GHJ456", 2, 0}, {"3GHJ456", 2, 61}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr := NewTracker(TrackerOptions{Window: tc.window})
			defer tr.Close()
			var got []Pass
			for f := 0; f < tc.frames; f++ {
				var reads []PlateRead
				for _, s := range tc.seen {
					if s.frame == f {
						reads = append(reads, readAt(s))
					}
				}
				got = append(got, tr.Add(frameTime(f), reads)...)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("%d passes, want %d: %+v", len(got), len(tc.want), got)
			}
			for i, w := range tc.want {
				p := got[i]
				if p.Best.Plate != w.plate || p.Votes != w.votes || !p.First.Equal(frameTime(w.first)) {
					t.Errorf("pass %d: %s votes %d first %v; want %s votes %d first %v",
						i, p.Best.Plate, p.Votes, p.First, w.plate, w.votes, frameTime(w.first))
				}
				if p.Last.Before(p.First) || p.BestAt.Before(p.First) || p.BestAt.After(p.Last) {
					t.Errorf("pass %d times out of order: first %v best %v last %v", i, p.First, p.BestAt, p.Last)
				}
				p.Best.Crop.Close()
			}
		})
	}
}

func TestTrackerFlushEndsOpenPasses(t *testing.T) {
	tr := NewTracker(TrackerOptions{})
	now := time.Date(2026, 3, 1, 14, 0, 0, 0, time.UTC)
	if done := tr.Add(now, []PlateRead{readAt(sighting{0, "1ABC234", .9, 10})}); len(done) != 0 {
		t.Fatalf("pass ended while the plate is in view: %+v", done)
	}
	got := tr.Flush()
	if len(got) != 1 || got[0].Best.Plate != "1ABC234" {
		t.Fatalf("flush gave %+v, want the open pass", got)
	}
	got[0].Best.Crop.Close()
	if again := tr.Flush(); len(again) != 0 {
		t.Errorf("second flush gave %d passes", len(again))
	}
}

func TestTrackerVotesTheState(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 14, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		states []string // one frame each ("" abstains); the plate is read the same in all
		confs  []float64
		want   string
	}{
		{"named in one frame of three, not the surest read's", []string{"", "CA", ""}, []float64{0.3, 0.8, 0.4}, "CA"},
		{"named by none", []string{"", "", ""}, []float64{0.3, 0.2, 0.4}, ""},
		{"frames agree", []string{"NV", "NV"}, []float64{0.9, 0.8}, "NV"},
		{"frames disagree evenly", []string{"NV", "AZ"}, []float64{0.8, 0.8}, ""},
		{"one frame against three", []string{"NV", "NV", "NV", "AZ"}, []float64{0.9, 0.8, 0.9, 0.7}, "NV"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tk := NewTracker(TrackerOptions{})
			defer tk.Close()
			for i, st := range tt.states {
				rd := readAt(sighting{i, "8ABC123", 0.95 - 0.1*float64(i%2), 100 + 10*i})
				rd.State, rd.StateConfidence = st, tt.confs[i]
				tk.Add(t0.Add(time.Duration(i)*100*time.Millisecond), []PlateRead{rd})
			}
			passes := tk.Flush()
			if len(passes) != 1 {
				t.Fatalf("%d passes, want 1", len(passes))
			}
			passes[0].Best.Crop.Close()
			if got := passes[0].Best.State; got != tt.want {
				t.Errorf("pass state %q, want %q", got, tt.want)
			}
			if tt.want != "" && passes[0].Best.StateConfidence < 0.7 {
				t.Errorf("pass state confidence %.2f, want the surest naming's", passes[0].Best.StateConfidence)
			}
		})
	}
}
