package ocr

import (
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"patrol-alpr/synth"
)

// testStateCounts: California lays most of its seven-character plates out as 1ABC234,
// Virginia as ABC1234; Wyoming was seen on one plate.
const testStateCounts = "state,layout,plates\n" +
	"CA,DLLLDDD,10\nCA,LLLLLLL,5\n" +
	"VA,LLLDDDD,10\nVA,LLLLLLL,5\n" +
	"WY,LLLDDDD,1\n"

func mustStateCounts(t *testing.T) *stateLayouts {
	t.Helper()
	path := filepath.Join(t.TempDir(), StateLayoutsFile)
	if err := os.WriteFile(path, []byte(testStateCounts), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := loadStateLayouts(path, 20)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// textOf is a text laid out as lay (A for a letter, 1 for a digit).
func textOf(lay string) string {
	b := []byte(lay)
	for i, c := range b {
		b[i] = map[byte]byte{'L': 'A', 'D': '1'}[c]
	}
	return string(b)
}

// TestStateMixShare: a state the picture is sure of lends its own layouts; a state seen on
// few plates, or no picture, leaves the share of all plates; shares of one length sum to 1.
func TestStateMixShare(t *testing.T) {
	general, counts := mustLayouts(t, testLayouts), mustStateCounts(t)
	codes := []string{"CA", "VA", "WY"}
	mix := func(p []float64, smooth float64) *stateMix {
		return &stateMix{general: general, states: counts, codes: codes, p: p, smooth: smooth}
	}
	g := func(lay string) float64 { return general.share(textOf(lay)) }
	tests := []struct {
		name   string
		m      *stateMix
		lay    string
		lo, hi float64 // the share wanted
	}{
		// 10 of California's 15 seven-character plates, barely smoothed.
		{"California certain: its own layout", mix([]float64{1, 0, 0}, 1), "DLLLDDD", 10.0 / 16, (10 + g("DLLLDDD")) / 16 * 1.0001},
		{"California certain: a layout it never has", mix([]float64{1, 0, 0}, 1), "LLLDDDD", 0, g("LLLDDDD") / 16 * 1.0001},
		// One plate against a weight of 20: the general share, a twenty-first off.
		{"a state seen once: close to the general prior", mix([]float64{0, 0, 1}, 20), "DLLLDDD", g("DLLLDDD") * 20 / 21 * 0.9999, g("DLLLDDD") * 1.0001},
		{"a state seen once: its layout barely raised", mix([]float64{0, 0, 1}, 20), "LLLDDDD", g("LLLDDDD"), g("LLLDDDD")*20/21 + 1.0/21*1.0001},
		// Half sure: half of each state's share.
		{"California or Virginia", mix([]float64{0.5, 0.5, 0}, 1), "DLLLDDD", 0.5 * 10 / 16, 0.5*(10+g("DLLLDDD"))/16 + 0.5*g("DLLLDDD")/16*1.0001},
		{"very smooth: the general prior", mix([]float64{1, 0, 0}, 1e6), "LLLDDDD", g("LLLDDDD") * 0.999, g("LLLDDDD") * 1.001},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.m.share(textOf(tc.lay)); got < tc.lo || got > tc.hi {
				t.Errorf("share of %s %v, want %v to %v (general %v)", tc.lay, got, tc.lo, tc.hi, g(tc.lay))
			}
		})
	}
	t.Run("shares of one length sum to 1", func(t *testing.T) {
		for _, m := range []*stateMix{mix([]float64{1, 0, 0}, 1), mix([]float64{0.2, 0.3, 0.5}, 20), mix([]float64{0, 0, 1}, 5)} {
			sum := 0.0
			for bits := 0; bits < 1<<7; bits++ {
				lay := make([]byte, 7)
				for i := range lay {
					lay[i] = "DL"[bits>>i&1]
				}
				sum += m.share(textOf(string(lay)))
			}
			if math.Abs(sum-1) > 1e-9 {
				t.Errorf("%v: shares sum to %v", m.p, sum)
			}
		}
	})
	t.Run("no picture or no counts: the general prior", func(t *testing.T) {
		c := &stateClassifier{codes: codes, counts: counts, textSmooth: 5}
		for _, prior := range []layoutPrior{
			c.textPrior(general, nil),
			(&stateClassifier{codes: codes}).textPrior(general, []float64{1, 0, 0}),
			(*stateClassifier)(nil).textPrior(general, []float64{1, 0, 0}),
			&stateMix{general: general, codes: codes, smooth: 5},
		} {
			for _, text := range []string{"7ABC123", "ABC1234", "AB123"} {
				if got, want := prior.weight(text), general.weight(text); got != want {
					t.Errorf("%T: weight of %s %v, want the general %v", prior, text, got, want)
				}
			}
		}
		if _, ok := c.textPrior(general, []float64{1, 0, 0}).(*stateMix); !ok {
			t.Error("a picture and counts give no mixture")
		}
	})
}

// TestWithStateLayouts: the network hesitates between Z and 7 at the start of a
// seven-character plate. All plates (and a state seen once) keep its Z; a picture sure of
// California, whose plates are 1ABC234, makes it a 7; one sure of Virginia does not.
func TestWithStateLayouts(t *testing.T) {
	general, counts := mustLayouts(t, testLayouts), mustStateCounts(t)
	codes := []string{"CA", "VA", "WY"}
	spec := "- Z7:0.6 - E - A - V - 0 - 3 - 3 -"
	prior := func(p []float64) layoutPrior {
		return &stateMix{general: general, states: counts, codes: codes, p: p, smooth: 5}
	}
	tests := []struct {
		name  string
		prior layoutPrior
		want  string
	}{
		{"all plates", general, "ZEAV033"},
		{"California certain", prior([]float64{1, 0, 0}), "7EAV033"},
		{"California likely", prior([]float64{0.7, 0.2, 0.1}), "7EAV033"},
		{"Virginia certain", prior([]float64{0, 1, 0}), "ZEAV033"},
		{"a state seen once", prior([]float64{0, 0, 1}), "ZEAV033"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rd := decode(cols(spec), 5)
			if rd.plate != "ZEAV033" {
				t.Fatalf("the network reads %q, want ZEAV033", rd.plate)
			}
			got := rd.withLayouts(tc.prior, 5, 8, 5)
			if got.plate != tc.want {
				t.Errorf("read %q, want %q; alternates %v", got.plate, tc.want, got.alternates)
			}
		})
	}
}

// TestLoadTextPrior: "text-prior K" turns the mixture on with its smoothing weight, beside
// or without the naming's "layout-prior"; a weight that is no positive number is refused.
func TestLoadTextPrior(t *testing.T) {
	tests := []struct {
		name        string
		lines       string
		text, names float64
		bad         bool
	}{
		{"both", "text-prior 10\nlayout-prior 20\n", 10, 20, false},
		{"text prior alone", "text-prior 2.5\n", 2.5, 0, false},
		{"neither", "", 0, 0, false},
		{"zero", "text-prior 0\n", 0, 0, true},
		{"not a number", "text-prior many\n", 0, 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), StateClassesFile)
			if err := os.WriteFile(path, []byte("threshold 0.8\n"+tc.lines+"CA\nVA\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			sc, err := loadStateClasses(path)
			if tc.bad {
				if err == nil {
					t.Error("accepted")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if sc.textPrior != tc.text || sc.layoutPrior != tc.names {
				t.Errorf("text prior %v, layout prior %v, want %v and %v", sc.textPrior, sc.layoutPrior, tc.text, tc.names)
			}
		})
	}
}

// TestReadCaliforniaWithStateLayouts reads small, soft synthetic California plates (1ABC234,
// with look-alikes first and in the letters) edge to edge, with the committed model folder's
// text prior and without it: with the states' layouts more plates are read right (45 of 80
// against 43 when written), and none is read out of California's layout that was in it.
func TestReadCaliforniaWithStateLayouts(t *testing.T) {
	with := openTestReader(t)
	if with.states == nil || with.states.counts == nil {
		t.Skip("the committed model folder has no text prior")
	}
	dir := t.TempDir()
	for _, name := range []string{ModelFile, LayoutFile, StateModelFile, StateLayoutsFile, StateClassesFile} {
		b, err := os.ReadFile(filepath.Join(modelDir, name))
		if err != nil {
			t.Fatal(err)
		}
		if name == StateClassesFile {
			b = []byte(strings.ReplaceAll(string(b), "\ntext-prior ", "\n# text-prior "))
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	without, err := Open(Options{ModelDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer without.Close()
	if without.states.counts != nil {
		t.Fatal("the copy still has a text prior")
	}
	const n = 80
	firsts, letters := "72851", "ZBSEAV"
	var right, layout [2]int
	for i := range n {
		rng := rand.New(rand.NewPCG(uint64(i), 5))
		st := synth.RandomStyleIn(rng, synth.California)
		cond := synth.Clean()
		cond.PlateWidth, cond.Blur, cond.Motion, cond.Noise = 44+rng.IntN(24), 1+rng.Float64(), 2*rng.Float64(), 6
		text := string(firsts[i%len(firsts)]) + string(letters[rng.IntN(len(letters))]) +
			string(letters[rng.IntN(len(letters))]) + string(letters[rng.IntN(len(letters))]) +
			string(rune('0'+rng.IntN(10))) + string(rune('0'+rng.IntN(10))) + string(rune('0'+rng.IntN(10)))
		m := plateCrop(t, rng, text, st, cond)
		for k, r := range []*Reader{without, with} {
			rd, err := r.ReadCrop(m)
			if err != nil {
				m.Close()
				t.Fatal(err)
			}
			rd.Crop.Close()
			if rd.Plate == text {
				right[k]++
			}
			if layoutOf(rd.Plate) == "DLLLDDD" {
				layout[k]++
			}
		}
		m.Close()
	}
	t.Logf("of %d: read right %d without the text prior, %d with; California's layout %d, %d", n, right[0], right[1], layout[0], layout[1])
	if right[1] <= right[0] || layout[1] < layout[0] {
		t.Errorf("with the states' layouts %d right and %d in California's layout, without %d and %d", right[1], layout[1], right[0], layout[0])
	}
}

// BenchmarkWithStateLayouts is what the text prior adds to a read the reader keeps: its texts
// weighed by the states' layouts (every state in doubt) beside the share of all plates. The
// reader does it once per plate it reports, after the state classifier scored the crop.
func BenchmarkWithStateLayouts(b *testing.B) {
	r := openTestReader(b)
	if r.states == nil || r.states.counts == nil {
		b.Skip("the committed model folder has no text prior")
	}
	p := make([]float64, len(r.states.codes))
	for i := range p {
		p[i] = 1 / float64(len(p))
	}
	rd := decode(cols("- Z7:0.6 - E - A - V - 0O:0.7 - 3 - 3 -"), 5)
	for _, bc := range []struct {
		name  string
		prior func() layoutPrior
	}{
		{"all plates", func() layoutPrior { return r.layouts }},
		// A new mixture a read, as the reader makes it.
		{"states", func() layoutPrior { return r.states.textPrior(r.layouts, p) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				rd.withLayouts(bc.prior(), 5, 8, 5)
			}
		})
	}
}
