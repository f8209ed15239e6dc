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
