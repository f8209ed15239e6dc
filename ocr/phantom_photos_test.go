package ocr

import (
	"image"
	"testing"

	"gocv.io/x/gocv"

	"patrol-alpr/synth"
)

// TestPhantomPlatesOnHardPhotos reads synthetic photos with burned-in clocks and shop signs
// (synth.HardPhoto, a seed of its own) and counts what is read where no plate is: a clock is
// never a plate, and reads of nothing at all are rare. Shop signs are counted and logged
// here; TestVerifierDropsSigns holds the plate verifier to dropping them.
func TestPhantomPlatesOnHardPhotos(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("reads 42 photos; run without -short and -race")
	}
	r := openTestReader(t)
	const n = 42
	var clocks, signs, other, right int
	for i := 0; i < n; i++ {
		ph, reads := readHardPhoto(t, r, i)
		plate := bounds(ph.Truth.Quad)
		for _, rd := range reads {
			b := rd.Box()
			switch kind := phantomAt(b, ph.Phantoms); {
			case b.Overlaps(plate):
				if rd.Plate == ph.Truth.Plate {
					right++
				}
			case kind == "clock":
				clocks++
				t.Logf("photo %d (%s): clock read as %s (%.2f) at %v", i, ph.Case, rd.Plate, rd.Confidence, b)
			case kind == "sign":
				signs++
				t.Logf("photo %d (%s): sign read as %s (%.2f)", i, ph.Case, rd.Plate, rd.Confidence)
			default:
				other++
				t.Logf("photo %d (%s): %s (%.2f) read at %v, where nothing was drawn", i, ph.Case, rd.Plate, rd.Confidence, b)
			}
		}
		closeReads(reads)
	}
	t.Logf("%d photos: %d plates read right, false reads: %d clocks, %d signs, %d other", n, right, clocks, signs, other)
	if clocks > 0 {
		t.Errorf("%d reads of burned-in clocks, want none", clocks)
	}
	if float64(other)/n > 0.1 {
		t.Errorf("%.2f reads a photo of nothing drawn, want at most 0.1", float64(other)/n)
	}
	if right < n/2 {
		t.Errorf("only %d of %d plates read right: the phantom rules may be dropping plates", right, n)
	}
}

// phantomAt is the kind of the photo's phantom box overlaps, or "".
func phantomAt(box image.Rectangle, ps []synth.Phantom) string {
	for _, p := range ps {
		if box.Overlaps(p.Box.Inset(-4)) {
			return p.Kind
		}
	}
	return ""
}

// readHardPhoto draws synthetic hard photo i (seed 9) and reads it whole; the caller closes
// the reads.
func readHardPhoto(t *testing.T, r *Reader, i int) (synth.Photo, []PlateRead) {
	t.Helper()
	ph, err := synth.HardPhoto(9, i, image.Point{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	m, err := gocv.ImageToMatRGB(ph.Image)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	reads, err := r.Read(m)
	if err != nil {
		t.Fatal(err)
	}
	return ph, reads
}
