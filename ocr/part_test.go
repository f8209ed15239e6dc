package ocr

import (
	"strings"
	"testing"
)

func TestLongestPart(t *testing.T) {
	tests := []struct {
		name   string
		min    int // MinChars
		cols   []int
		ok     bool
		u0, u1 float64 // in columns of 24, before dividing
	}{
		{"plate then other lettering", 5, []int{3, 5, 7, 9, 11, 13, 15, 18, 20}, true, 3 + 0.5 - 2, 15 + 0.5 + 1},
		{"other lettering then plate", 5, []int{1, 4, 6, 8, 10, 12, 14, 16, 18}, true, 4 + 0.5 - 1, 18 + 0.5 + 2},
		{"evenly spaced: no cut", 5, []int{2, 4, 6, 8, 10, 12, 14, 16, 18}, false, 0, 0},
		{"a plate's length is never cut", 5, []int{3, 5, 7, 9, 11, 13, 17, 19}, false, 0, 0},
		{"the longer part too short for a plate", 6, []int{1, 3, 5, 7, 9, 13, 15, 17, 19}, false, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := &Reader{opt: Options{MinChars: tc.min}.withDefaults()}
			rd := reading{plate: strings.Repeat("A", len(tc.cols)), cols: tc.cols, probs: make([][]float64, columns)}
			u0, u1, ok := r.longestPart(rd)
			if ok != tc.ok {
				t.Fatalf("longestPart ok = %v, want %v", ok, tc.ok)
			}
			if ok && (u0 != tc.u0/columns || u1 != tc.u1/columns) {
				t.Errorf("part %.3f..%.3f, want %.3f..%.3f", u0, u1, tc.u0/columns, tc.u1/columns)
			}
		})
	}
}

func TestQuadSpan(t *testing.T) {
	q := quadf{{100, 50}, {300, 70}, {300, 170}, {100, 150}}
	if got := q.span(0, 1); got != q {
		t.Errorf("span(0, 1) = %v, want the quad %v", got, q)
	}
	if got, want := q.span(0.25, 0.5), (quadf{{150, 55}, {200, 60}, {200, 160}, {150, 155}}); got != want {
		t.Errorf("span(0.25, 0.5) = %v, want %v", got, want)
	}
}
