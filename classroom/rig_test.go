package classroom

import (
	"image"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"patrol-alpr/alpr"
	"patrol-alpr/synth"
)

// TestScenarioPlatesAreCaliforniasThroughout: whatever random style a scenario's plate
// starts from, it prints California's scheme, name and caption, as the training list
// says the plate is California's; before, the caption was any state's.
func TestScenarioPlatesAreCaliforniasThroughout(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 200 {
		st := californiaStyle(rng)
		if st.Scheme != synth.California || st.State != "CA" || st.StateName != "California" || st.StateFont == nil ||
			!slices.Contains([]string{"DMV.CA.GOV", "", "Golden State"}, st.Caption) {
			t.Fatalf("style %d: scheme %v, state %q %q, caption %q; want California's throughout", i, st.Scheme, st.State, st.StateName, st.Caption)
		}
	}
}

// TestRigRoadsAreCalifornias: most plates on the classroom's roads are California's, as on
// Stockton's, with out-of-state plates among them.
func TestRigRoadsAreCalifornias(t *testing.T) {
	r, err := NewRig(3, 10)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int]string{}
	img := image.NewRGBA(r.scenes[alpr.Cam1].Bounds())
	for ms := 0; ms <= 90000; ms += 500 {
		truths, err := r.scenes[alpr.Cam1].Render(time.Duration(ms)*time.Millisecond, img)
		if err != nil {
			t.Fatal(err)
		}
		for _, tr := range truths {
			seen[tr.Vehicle] = tr.State
		}
	}
	ca := 0
	for _, st := range seen {
		if st == "CA" {
			ca++
		}
	}
	if ca < len(seen)*6/10 || ca == len(seen) {
		t.Errorf("%d of %d plates California's; want most, not all", ca, len(seen))
	}
}
