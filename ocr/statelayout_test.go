package ocr

import (
	"math"
	"os"
	"path/filepath"
	"testing"
)

// TestStateLayoutsWeigh: a plate read in a layout one state uses and others rarely do moves
// the classifier's doubt towards that state; a layout every state uses, or a text of no
// plate's length, leaves it where the picture put it.
func TestStateLayoutsWeigh(t *testing.T) {
	path := filepath.Join(t.TempDir(), StateLayoutsFile)
	counts := "state,layout,plates\n" +
		"CA,DLLLDDD,10\nCA,LLLLLLL,5\n" +
		"VA,LLLDDDD,10\nVA,LLLLLLL,5\n" +
		"TX,LLLDDDD,8\nTX,LLLLLLL,5\nTX,DLLLDDD,1\n"
	if err := os.WriteFile(path, []byte(counts), 0o644); err != nil {
		t.Fatal(err)
	}
	lay, err := loadStateLayouts(path, 5)
	if err != nil {
		t.Fatal(err)
	}
	codes := []string{"CA", "TX", "VA"}
	tests := []struct {
		name  string
		text  string
		p     []float64
		check func(q []float64) bool
	}{
		{"California's layout, picture in doubt", "7ABC123", []float64{0.3, 0.3, 0.4}, func(q []float64) bool { return q[0] > 0.8 }},
		{"California's layout, picture sure of Virginia", "7ABC123", []float64{0.01, 0.01, 0.98}, func(q []float64) bool { return q[2] > q[0] && q[2] > 0.5 }},
		{"Virginia's layout", "ABC1234", []float64{0.5, 0.1, 0.4}, func(q []float64) bool { return q[2] > q[0] && q[0] < 0.2 }},
		{"a layout every state uses", "ABCDEFG", []float64{0.2, 0.3, 0.5}, func(q []float64) bool {
			return math.Abs(q[0]-0.2) < 0.05 && math.Abs(q[1]-0.3) < 0.05 && math.Abs(q[2]-0.5) < 0.05
		}},
		{"too short for a plate", "AB1", []float64{0.2, 0.3, 0.5}, func(q []float64) bool { return q[0] == 0.2 && q[1] == 0.3 && q[2] == 0.5 }},
		{"a layout no state in the counts has", "1A2B3C4", []float64{0.2, 0.3, 0.5}, func(q []float64) bool {
			return math.Abs(q[0]-0.2) < 0.02 && math.Abs(q[2]-0.5) < 0.02
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q := append([]float64(nil), tc.p...)
			lay.weigh(q, codes, tc.text)
			sum := q[0] + q[1] + q[2]
			if math.Abs(sum-1) > 1e-9 || !tc.check(q) {
				t.Errorf("%q: %v -> %v (sum %v)", tc.text, tc.p, q, sum)
			}
		})
	}
	var none *stateLayouts
	q := []float64{0.2, 0.8}
	none.weigh(q, []string{"CA", "VA"}, "7ABC123")
	if q[0] != 0.2 || q[1] != 0.8 {
		t.Errorf("no layout prior changed %v", q)
	}
}
