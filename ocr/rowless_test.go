package ocr

import (
	"testing"

	"patrol-alpr/synth"
)

// TestReaderFindsBlurredAndSmallPlates reads synthetic photos of horizontally motion-blurred
// plates and of plates 68-90 px wide (synth.HardPhoto, seed 9: not the seed make eval's hard
// set is drawn from), whose characters run together so that no row of character blobs lines
// up: the plate-shaped band the proposer finds round them must still be read as a plate.
func TestReaderFindsBlurredAndSmallPlates(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 16 photos; run without -short")
	}
	r := openTestReader(t)
	found := map[string]int{}
	const each = 8
	for k := range each {
		for _, c := range []int{2, 4} { // synth.HardCases: motion, small
			ph, reads := readHardPhoto(t, r, c+k*len(synth.HardCases))
			plate := bounds(ph.Truth.Quad)
			for _, rd := range reads {
				if IoU(rd.Box(), plate) >= 0.5 {
					found[ph.Case]++
					break
				}
			}
			closeReads(reads)
		}
	}
	t.Logf("found %d of %d motion-blurred plates, %d of %d small ones", found["motion"], each, found["small"], each)
	if found["motion"] < each/2 || found["small"] < each/2 {
		t.Errorf("found %d of %d motion-blurred and %d of %d small plates, want half of each at least", found["motion"], each, found["small"], each)
	}
}
