package ocr

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"gocv.io/x/gocv"

	"patrol-alpr/synth"
)

// withoutVerifier is a copy of the committed model folder without the plate verifier's files:
// the reader as it was before it had one.
func withoutVerifier(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	entries, err := os.ReadDir(modelDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() || e.Name() == VerifyModelFile || e.Name() == VerifyThresholdFile {
			continue
		}
		b, err := os.ReadFile(filepath.Join(modelDir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// readersWithAndWithoutVerifier opens the committed models and the same without the plate
// verifier, closed when the test ends.
func readersWithAndWithoutVerifier(t *testing.T) (with, without *Reader) {
	t.Helper()
	with = openTestReader(t)
	if with.verify == nil {
		t.Fatal("the committed model folder has no plate verifier")
	}
	without, err := Open(Options{ModelDir: withoutVerifier(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { without.Close() })
	return with, without
}

// TestOpenWithoutVerifier: a model folder made before the reader had a plate verifier still
// opens, and keeps every read as before.
func TestOpenWithoutVerifier(t *testing.T) {
	r, err := Open(Options{ModelDir: withoutVerifier(t)})
	if err != nil {
		t.Fatalf("open a folder without a plate verifier: %v", err)
	}
	defer r.Close()
	if r.verify != nil {
		t.Error("a plate verifier was opened from a folder without one")
	}
}

// TestVerifierDropsSigns reads synthetic hard photos with shop signs (synth.HardPhoto, seed 9,
// which the verifier was not trained on) with and without the verifier: with it, the signs the
// reader took for plates are read far less often, and as many plates are read right.
func TestVerifierDropsSigns(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("reads 42 photos twice; run without -short and -race")
	}
	with, without := readersWithAndWithoutVerifier(t)
	const n = 42
	count := func(r *Reader) (signs, right int) {
		for i := range n {
			ph, reads := readHardPhoto(t, r, i)
			plate := bounds(ph.Truth.Quad)
			for _, rd := range reads {
				switch b := rd.Box(); {
				case b.Overlaps(plate):
					if rd.Plate == ph.Truth.Plate {
						right++
					}
				case phantomAt(b, ph.Phantoms) == "sign":
					signs++
					if r == with {
						t.Logf("photo %d (%s): sign still read as %s (%.2f)", i, ph.Case, rd.Plate, rd.Confidence)
					}
				}
			}
			closeReads(reads)
		}
		return signs, right
	}
	signsWith, rightWith := count(with)
	signsWithout, rightWithout := count(without)
	t.Logf("%d photos: signs read %d without the verifier, %d with it; plates read right %d and %d",
		n, signsWithout, signsWith, rightWithout, rightWith)
	if signsWithout < 5 {
		t.Fatalf("only %d signs read without the verifier: the photos no longer test it", signsWithout)
	}
	if 4*signsWith > signsWithout {
		t.Errorf("%d signs read with the verifier, %d without: want at most a quarter", signsWith, signsWithout)
	}
	if rightWith < rightWithout {
		t.Errorf("%d plates read right with the verifier, %d without: it dropped plates", rightWith, rightWithout)
	}
}

// TestVerifierKeepsWordPlates: plates that spell words (vanity plates, 7 % of the crops) and
// plates that are all digits are plates: the verifier judges the picture, not the text. Each
// is a synthetic plate pasted into a grey canvas as `eval --in-canvas` does; every read of it
// the reader makes without the verifier scores above the verifier's threshold, and the reader
// with it reads the plate as often.
func TestVerifierKeepsWordPlates(t *testing.T) {
	with, without := readersWithAndWithoutVerifier(t)
	for _, text := range []string{"FAMILY", "DUKDAWG", "UBUNTU", "GARAGE", "PIZZA", "JERSEY", "MOTEL", "4812907"} {
		t.Run(text, func(t *testing.T) {
			foundWith, foundWithout := 0, 0
			for i := range 4 {
				crop := wordPlate(t, text, i)
				canvas, _ := PasteInCanvas(crop)
				crop.Close()
				for _, r := range []*Reader{with, without} {
					reads, err := r.Read(canvas)
					if err != nil {
						canvas.Close()
						t.Fatal(err)
					}
					for _, rd := range reads {
						if rd.Plate != text {
							continue
						}
						if r == with {
							foundWith++
							continue
						}
						foundWithout++
						p, err := with.verify.score(rd.Crop)
						if err != nil {
							t.Fatal(err)
						}
						if p < with.verify.reject {
							t.Errorf("%s plate %d: verifier %.3f, under its threshold %.2f", text, i, p, with.verify.reject)
						}
					}
					closeReads(reads)
				}
				canvas.Close()
			}
			if foundWith < foundWithout || foundWithout < 2 {
				t.Errorf("%s read on %d of 4 plates with the verifier, %d without: want as many, and 2 at least", text, foundWith, foundWithout)
			}
		})
	}
}

// wordPlate is synthetic plate i printing text, cut edge to edge.
func wordPlate(t *testing.T, text string, i int) gocv.Mat {
	t.Helper()
	rng := rand.New(rand.NewPCG(uint64(i), 61))
	st := synth.RandomStyle(rng)
	st.Frame = nil
	cond := synth.Clean()
	cond.PlateWidth = 160 + 20*i
	return plateCrop(t, rng, text, st, cond)
}

// TestVerifierKeepsRealWordPlates reads the real plates of the crops' tune half that are all
// letters (DUKDAWG, FAMILY: vanity plates), each pasted into a grey canvas: the reader with
// the verifier reads as many of them as without it.
func TestVerifierKeepsRealWordPlates(t *testing.T) {
	dir := filepath.Join(filepath.Dir(benchDir(t)), "crops")
	labels, err := LoadLabels(dir)
	if err != nil {
		t.Skipf("no plate crops: %v", err)
	}
	with, without := readersWithAndWithoutVerifier(t)
	plates, foundWith, foundWithout := 0, 0, 0
	for _, l := range labels {
		if HalfOf(l.File) != HalfTune || digits(l.Plate) > 0 {
			continue
		}
		plates++
		img := gocv.IMRead(filepath.Join(dir, l.File), gocv.IMReadColor)
		canvas, _ := PasteInCanvas(img)
		img.Close()
		for _, r := range []*Reader{with, without} {
			reads, err := r.Read(canvas)
			if err != nil {
				canvas.Close()
				t.Fatal(err)
			}
			for _, rd := range reads {
				if rd.Plate == l.Plate && r == with {
					foundWith++
				} else if rd.Plate == l.Plate {
					foundWithout++
				}
			}
			closeReads(reads)
		}
		canvas.Close()
	}
	t.Logf("%d all-letter plates: %d read with the verifier, %d without", plates, foundWith, foundWithout)
	if plates < 10 || foundWith < foundWithout {
		t.Errorf("%d all-letter plates, %d read with the verifier and %d without: want 10 plates and as many read", plates, foundWith, foundWithout)
	}
}

// BenchmarkVerifyPlate is the plate verifier's cost for one read's crop (the reader runs it on
// every plausible read, before the overlaps and phantoms are settled).
func BenchmarkVerifyPlate(b *testing.B) {
	SetOpenCVThreads(1)
	defer SetOpenCVThreads(-1)
	r := openTestReader(b)
	crop := gocv.NewMatWithSize(2*cropH, 2*cropW, gocv.MatTypeCV8UC3)
	defer crop.Close()
	for b.Loop() {
		if _, err := r.verify.score(crop); err != nil {
			b.Fatal(err)
		}
	}
}
