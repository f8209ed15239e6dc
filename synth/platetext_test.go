package synth

import (
	"math/rand/v2"
	"strings"
	"testing"

	"patrol-alpr/alpr"
)

func TestRandomPlateText(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	shapes := map[string]bool{}
	gaps := 0
	for range 2000 {
		printed := RandomPlateText(rng)
		plate := alpr.NormalizePlate(printed)
		if n := len(plate); n < 5 || n > 8 {
			t.Fatalf("%q normalises to %q: %d characters, want 5–8", printed, plate, n)
		}
		if strings.Trim(printed, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -") != "" {
			t.Fatalf("%q has characters a plate does not print", printed)
		}
		if printed != plate {
			gaps++
		}
		shapes[shape(plate)] = true
	}
	if gaps < 200 || gaps > 1800 {
		t.Errorf("%d of 2000 plates printed with a gap; want both with and without", gaps)
	}
	for _, want := range []string{"DLLLDDD", "LLLDDDD", "DDDLLL", "LLDDDDD", "LLLDDD"} {
		if !shapes[want] {
			t.Errorf("layout %s never drawn in 2000 plates", want)
		}
	}
}

// shape replaces letters by L and digits by D.
func shape(plate string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return 'D'
		}
		return 'L'
	}, plate)
}

func TestRandomPlateTextIn(t *testing.T) {
	cases := []struct {
		code string
		want []string // the shapes of the state's serials; nil: any common layout
	}{
		{"CA", []string{"DLLLDDD"}},
		{"IL", []string{"LLDDDDD"}},
		{"NJ", []string{"LDDLLL"}},
		{"CO", []string{"LLLLDD"}},
		{"FL", nil}, // layouts not in the table
		{"", nil},   // no state printed
		{"ZZ", nil}, // no such state
	}
	for _, tc := range cases {
		t.Run(tc.code, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(3, 9))
			own, shapes := 0, map[string]bool{}
			const n = 600
			for range n {
				printed := RandomPlateTextIn(rng, tc.code)
				plate := alpr.NormalizePlate(printed)
				if l := len(plate); l < 5 || l > 8 {
					t.Fatalf("%q: %d characters, want 5–8", printed, l)
				}
				shapes[shape(plate)] = true
				for _, w := range tc.want {
					if shape(plate) == w {
						own++
					}
				}
			}
			if tc.want == nil {
				if len(shapes) < 5 {
					t.Errorf("%d layouts in %d plates; want the common US mix", len(shapes), n)
				}
				return
			}
			// About one in twelve is a vanity plate; the rest are the state's serials.
			if own < n*8/10 {
				t.Errorf("%d of %d plates in the state's layouts %v; want at least 80 %%", own, n, tc.want)
			}
		})
	}
}
