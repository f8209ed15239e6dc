package ocr

import (
	"math"
	"testing"
)

func TestBeamTexts(t *testing.T) {
	tests := []struct {
		name  string
		spec  string
		pBest float64
		want  map[string]float64 // texts and their probability over every alignment
	}{
		// "A A": A then A collapses; A then blank; blank then A.
		{"alignments summed", "A A", 0.6, map[string]float64{"A": 0.6*0.6 + 2*0.6*0.4, "": 0.4 * 0.4}},
		// A repeat needs a blank between: "AA" only through A - A (the
		// middle column is all blank).
		{"repeat needs a blank", "A - A", 0.9, map[string]float64{"AA": 0.9 * 0.9, "A": 2 * 0.9 * 0.1, "": 0.1 * 0.1}},
		// The look-alike's share goes to the other text.
		{"look-alike", "8B", 0.7, map[string]float64{"8": 0.7, "B": 0.3}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := beamTexts(columnsOf(tc.spec, tc.pBest), beamWidth)
			for text, p := range tc.want {
				found := false
				for _, g := range got {
					if g.text == text {
						found = true
						if math.Abs(g.score-p) > 1e-9 {
							t.Errorf("%q scores %v, want %v", text, g.score, p)
						}
					}
				}
				if !found {
					t.Errorf("%q missing from %v", text, got)
				}
			}
			for i := 1; i < len(got); i++ {
				if got[i].score > got[i-1].score {
					t.Errorf("not best first: %v", got)
				}
			}
		})
	}
}

func TestBeamAlternates(t *testing.T) {
	// A faint first letter the best path drops (blank 0.55, F 0.45), then a
	// sure K7W2M; the beam offers the text with it, which a swap cannot.
	faint := columnsOf("-H K - 7 - W - 2 - M -", 0.55)
	for i := 1; i < len(faint); i++ {
		faint[i] = columnsOf(string("-K-7-W-2-M-"[i-1]), 0.97)[0]
	}
	tests := []struct {
		name    string
		probs   [][]float64
		trim    bool
		want    string // must be among the alternates
		without string // must not be
	}{
		{"dropped faint letter offered", faint, false, "HK7W2M", ""},
		{"look-alike kept", columnsOf("- 8B - A - 0O - 5S", 0.7), false, "BA05", ""},
		{"trimmed read keeps its swaps", faint, true, "", "HK7W2M"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rd := decode(tc.probs, 5)
			rd.trimmed = tc.trim
			got := rd.withLayouts(nil, 5, 8, 5)
			if got.plate != rd.plate || got.confidence != rd.confidence {
				t.Fatalf("read changed: %q %v, was %q %v", got.plate, got.confidence, rd.plate, rd.confidence)
			}
			if len(got.alternates) < 3 {
				t.Fatalf("%d alternates, want at least 3: %v", len(got.alternates), got.alternates)
			}
			found := tc.want == ""
			for i, a := range got.alternates {
				found = found || a.Plate == tc.want
				if a.Plate == tc.without {
					t.Errorf("alternate %q offered: %v", a.Plate, got.alternates)
				}
				if a.Plate == got.plate || i > 0 && a.Score > got.alternates[i-1].Score {
					t.Errorf("alternates repeat the read or are not best first: %v", got.alternates)
				}
			}
			if !found {
				t.Errorf("alternate %q missing from %v", tc.want, got.alternates)
			}
		})
	}
}
