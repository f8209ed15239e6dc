package engine

import (
	"image"
	"testing"
	"time"
)

func TestPaneBoxesOnlyWhileFresh(t *testing.T) {
	found := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	boxes := []image.Rectangle{image.Rect(100, 200, 300, 260)}
	for _, tc := range []struct {
		name  string
		shown time.Duration // after the frame the boxes were found in
		want  int
	}{
		{"same frame", 0, 1},
		{"a read behind", 120 * time.Millisecond, 1},
		{"at the limit", boxFresh, 1},
		{"stale", boxFresh + time.Millisecond, 0},
		{"from the future", -2 * boxFresh, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := paneBoxes(boxes, found, found.Add(tc.shown), 0.5)
			if len(got) != tc.want {
				t.Fatalf("%d boxes, want %d", len(got), tc.want)
			}
			if tc.want == 1 && got[0] != image.Rect(50, 100, 150, 130) {
				t.Errorf("box %v, want it scaled by 0.5 to (50,100)-(150,130)", got[0])
			}
		})
	}
}
