package ocr

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

// testLayouts counts plates as a state's lists would: mostly three letters
// and four digits, some letter-then-six-digits, a few digit-first.
const testLayouts = `layout,plates
LLLDDDD,60
LDDDDDD,15
LLLDDD,100
DLLDDD,10
`

func mustLayouts(t *testing.T, text string) *layouts {
	t.Helper()
	l, err := parseLayouts(strings.NewReader(text))
	if err != nil {
		t.Fatalf("parse layouts: %v", err)
	}
	return l
}

func TestParseLayoutsRejects(t *testing.T) {
	tests := []struct{ name, text string }{
		{"empty", ""},
		{"header only", "layout,plates\n"},
		{"no header", "LLLDDD,4\n"},
		{"not a layout", "layout,plates\nABC123,4\n"},
		{"negative count", "layout,plates\nLLLDDD,-4\n"},
		{"not a count", "layout,plates\nLLLDDD,many\n"},
		{"three fields", "layout,plates\nLLLDDD,4,5\n"},
		{"nothing counted", "layout,plates\nLLLDDD,0\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := parseLayouts(strings.NewReader(tc.text)); err == nil {
				t.Error("accepted")
			}
		})
	}
}

func TestLayoutShare(t *testing.T) {
	l := mustLayouts(t, testLayouts)
	tests := []struct {
		name           string
		likely, rarely string
	}{
		{"counted over never seen", "M302518", "M30Z518"},
		{"counted often over counted seldom", "AKD517", "4KD517"},
		{"unseen but plate-like over unseen and odd", "AB12345", "A1B2C3D"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if a, b := l.share(tc.likely), l.share(tc.rarely); !(a > b) {
				t.Errorf("share(%s) = %g, not above share(%s) = %g", tc.likely, a, tc.rarely, b)
			}
		})
	}
	// The shares of a length's layouts are shares of that length's plates.
	sum := 0.0
	for m := 0; m < 1<<6; m++ {
		text := make([]byte, 6)
		for i := range text {
			text[i] = "1A"[m>>i&1]
		}
		sum += l.share(string(text))
	}
	if math.Abs(sum-1) > 1e-9 {
		t.Errorf("six-character layouts share %v of six-character plates, want 1", sum)
	}
	// O and 0 are one glyph on many plates: the layout takes whichever is likelier.
	if a, b := l.share("0PW382"), l.share("OPW382"); a != b || a != l.share("APW382") {
		t.Errorf("O/0 weigh differently: 0PW382 %g, OPW382 %g, APW382 %g", a, b, l.share("APW382"))
	}
}

// cols builds CTC columns from items "c", "c:p" and "cs:p" ("-" is the blank): c
// at p (0.99 when not given), the rest of the column the blank's, or s's.
func cols(spec string) [][]float64 {
	var out [][]float64
	for _, item := range strings.Fields(spec) {
		chars, p := item, 0.99
		if i := strings.IndexByte(item, ':'); i >= 0 {
			chars = item[:i]
			var err error
			if p, err = strconv.ParseFloat(item[i+1:], 64); err != nil {
				panic(err)
			}
		}
		out = append(out, columnsOf(chars, p)[0])
	}
	return out
}

func TestWithLayouts(t *testing.T) {
	l := mustLayouts(t, testLayouts)
	tests := []struct {
		name     string
		spec     string
		want     string
		wantConf float64 // the new read's confidence: its characters' peaks multiplied
		wantAlt  string  // the best alternate
	}{
		// Z (0.7) or 2 (0.3): M30Z518 is laid out as no plate counted.
		{"hesitant look-alike takes the plate's layout", "- M - 3 - 0 - Z2:0.7 - 5 - 1 - 8 -", "M302518", 0.99 * 0.99 * 0.99 * 0.3 * 0.99 * 0.99 * 0.99, "M30Z518"},
		// The network is sure of the Z: the layout does not overrule it. Nor
		// does it drop the 3 (a 1 % blank) to make M0Z518, laid out as many
		// six-character plates are: the length is the network's call.
		{"sure read keeps a rare layout", "- M - 3 - 0 - Z2:0.999 - 5 - 1 - 8 -", "M30Z518", 0, ""},
		// 0 or O: either is the same layout, so the network decides.
		{"O and 0 left to the network", "- 0O:0.6 - P - W - 3 - 8 - 2 -", "0PW382", 0, "OPW382"},
		// 4 (0.7) or A (0.3): more plates of six start with three letters.
		{"hesitant digit takes the plate's layout", "- 4A:0.7 - K - D - 5 - 1 - 7 -", "AKD517", 0.3 * 0.99 * 0.99 * 0.99 * 0.99 * 0.99, "4KD517"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rd := decode(cols(tc.spec), 5)
			before := rd.plate
			got := rd.withLayouts(l, 5, 8, 5)
			if got.plate != tc.want {
				t.Fatalf("read %q (was %q), want %q; alternates %v", got.plate, before, tc.want, got.alternates)
			}
			if len(got.charConf) != len(got.plate) || len(got.cols) != len(got.plate) {
				t.Fatalf("%d confidences and %d columns for %q", len(got.charConf), len(got.cols), got.plate)
			}
			if tc.wantConf > 0 && math.Abs(got.confidence-tc.wantConf) > 1e-9 {
				t.Errorf("confidence %v, want %v", got.confidence, tc.wantConf)
			}
			if got.plate == before && got.confidence != rd.confidence {
				t.Errorf("kept read's confidence changed: %v, was %v", got.confidence, rd.confidence)
			}
			if tc.wantAlt != "" && (len(got.alternates) == 0 || got.alternates[0].Plate != tc.wantAlt) {
				t.Errorf("best alternate is not %q: %v", tc.wantAlt, got.alternates)
			}
			for i, a := range got.alternates {
				if a.Plate == got.plate || i > 0 && a.Score > got.alternates[i-1].Score {
					t.Errorf("alternates repeat the read or are not best first: %v", got.alternates)
				}
			}
			if len(got.alternates) < 3 {
				t.Errorf("%d alternates, want at least 3", len(got.alternates))
			}
		})
	}
	t.Run("no layouts, no change", func(t *testing.T) {
		rd := decode(cols("- P - 6 - 0 - Z2:0.7 - 8 - 4 - 9 -"), 5)
		if got := rd.withLayouts(nil, 5, 8, 5); got.plate != rd.plate {
			t.Errorf("read %q, want %q", got.plate, rd.plate)
		}
	})
}

func TestAlign(t *testing.T) {
	tests := []struct {
		name, spec, text string
		wantCols         []int // the column of each character's peak; nil: the text does not fit
	}{
		{"best path", "- A A:0.6 - B -", "AB", []int{1, 4}},
		{"runner-up", "- 8B:0.7 - A -", "BA", []int{1, 3}},
		{"repeat needs a blank", "- 7 - 7 -", "77", []int{1, 3}},
		{"too long to fit", "- A -", "ABCD", nil},
		{"repeat without a blank cannot fit", "7 7", "77", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			probs := cols(tc.spec)
			got := align(probs, tc.text)
			if tc.wantCols == nil {
				if got != nil {
					t.Fatalf("aligned %q: %v", tc.text, got)
				}
				return
			}
			if len(got) != len(tc.text) {
				t.Fatalf("%d slots for %q", len(got), tc.text)
			}
			for i, s := range got {
				if s.class != classOf(tc.text[i]) || s.column != tc.wantCols[i] || s.prob != probs[s.column][s.class] {
					t.Errorf("slot %d = %+v, want %c at column %d", i, s, tc.text[i], tc.wantCols[i])
				}
			}
		})
	}
}
