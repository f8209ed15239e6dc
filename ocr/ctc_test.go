package ocr

import (
	"math"
	"strings"
	"testing"
)

// columns builds per-column probabilities from a spec like "A B8 - B": each
// space-separated column names its best class ('-' is blank) and optionally a
// runner-up; the best gets pBest, the runner-up the rest.
func columnsOf(spec string, pBest float64) [][]float64 {
	var out [][]float64
	for _, col := range strings.Fields(spec) {
		p := make([]float64, classes)
		cls := func(c byte) int {
			if c == '-' {
				return 0
			}
			return strings.IndexByte(alphabet, c) + 1
		}
		p[cls(col[0])] = pBest
		if len(col) > 1 {
			p[cls(col[1])] = 1 - pBest
		} else {
			p[0] += 1 - pBest
		}
		out = append(out, p)
	}
	return out
}

func TestDecode(t *testing.T) {
	tests := []struct {
		name      string
		spec      string
		pBest     float64
		want      string
		wantAlt   string // must be among the alternates
		wantChars int
	}{
		{"repeats collapse", "- A A - B B -", 0.9, "AB", "", 2},
		{"blank separates doubles", "- 7 - 7 7 - 1", 0.9, "771", "", 3},
		{"look-alike becomes alternate", "- 8B - A - 0O - 5S", 0.7, "8A05", "BA05", 4},
		{"two swaps", "- 8B - 0O -", 0.6, "80", "BO", 2},
		{"nothing read", "- - - -", 0.99, "", "", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := decode(columnsOf(tc.spec, tc.pBest), 5)
			if r.plate != tc.want {
				t.Fatalf("plate %q, want %q", r.plate, tc.want)
			}
			if len(r.charConf) != tc.wantChars {
				t.Fatalf("%d character confidences, want %d", len(r.charConf), tc.wantChars)
			}
			want := math.Pow(tc.pBest, float64(tc.wantChars))
			if tc.wantChars == 0 {
				want = 0
			}
			if math.Abs(r.confidence-want) > 1e-9 {
				t.Errorf("confidence %v, want %v", r.confidence, want)
			}
			if tc.wantChars > 0 && len(r.alternates) < 3 {
				t.Errorf("%d alternates, want at least 3", len(r.alternates))
			}
			found := tc.wantAlt == ""
			for i, a := range r.alternates {
				found = found || a.Plate == tc.wantAlt
				if a.Plate == r.plate {
					t.Errorf("alternate %d repeats the best read", i)
				}
				if i > 0 && a.Score > r.alternates[i-1].Score {
					t.Errorf("alternates not best first: %v", r.alternates)
				}
				if a.Score > r.confidence {
					t.Errorf("alternate %q scores %v above the best read %v", a.Plate, a.Score, r.confidence)
				}
			}
			if !found {
				t.Errorf("alternate %q missing from %v", tc.wantAlt, r.alternates)
			}
		})
	}
}

func TestColumnProbsSumToOne(t *testing.T) {
	logits := make([]float32, classes*columns)
	for i := range logits {
		logits[i] = float32(i%7) - 3
	}
	for tcol, p := range columnProbs(logits, classes, columns) {
		sum := 0.0
		for _, v := range p {
			sum += v
		}
		if math.Abs(sum-1) > 1e-9 {
			t.Fatalf("column %d sums to %v", tcol, sum)
		}
	}
}

func TestTrimEdges(t *testing.T) {
	mk := func(text string, probs ...float64) []slot {
		var s []slot
		for i, c := range text {
			s = append(s, slot{class: strings.IndexRune(alphabet, c) + 1, prob: probs[i]})
		}
		return s
	}
	text := func(s []slot) string {
		b := make([]byte, len(s))
		for i, x := range s {
			b[i] = alphabet[x.class-1]
		}
		return string(b)
	}
	tests := []struct {
		name string
		in   []slot
		want string
	}{
		{"doubtful bolt before a seven-character plate", mk("J7KMD482", .3, .9, .9, .9, .9, .9, .9, .9), "7KMD482"},
		{"doubtful frame edge after", mk("7KMD4821", .9, .9, .9, .9, .9, .9, .9, .2), "7KMD482"},
		{"a confident eight-character plate stays", mk("ABC12345", .9, .9, .9, .9, .9, .9, .9, .8), "ABC12345"},
		{"seven characters are never trimmed", mk("J7KMD48", .1, .9, .9, .9, .9, .9, .1), "J7KMD48"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := text(trimEdges(tc.in)); got != tc.want {
				t.Errorf("trimEdges = %s, want %s", got, tc.want)
			}
		})
	}
}
