package main

import (
	"image"
	"testing"

	"patrol-alpr/ocr"
)

// TestClassOf: a read over a labelled plate is a plate, one over none other lettering, and
// one half over a plate a part, which training leaves out; the overlap is IoU.
func TestClassOf(t *testing.T) {
	plate := image.Rect(100, 100, 200, 150)
	cases := []struct {
		name string
		read image.Rectangle
		want string
	}{
		{"the plate", plate, "plate"},
		{"the plate, a little loose", image.Rect(95, 98, 205, 152), "plate"},
		{"far away", image.Rect(400, 400, 480, 440), "other"},
		{"the plate's left two fifths", image.Rect(100, 100, 140, 150), "part"},
		{"a sliver of it", image.Rect(190, 100, 260, 150), "other"},
	}
	for _, tc := range cases {
		if got := classOf(ocr.IoU(tc.read, plate)); got != tc.want {
			t.Errorf("%s (IoU %.2f): %s, want %s", tc.name, ocr.IoU(tc.read, plate), got, tc.want)
		}
	}
}
