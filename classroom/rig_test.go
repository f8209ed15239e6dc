package classroom

import (
	"math/rand/v2"
	"slices"
	"testing"

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
