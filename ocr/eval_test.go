package ocr

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gocv.io/x/gocv"
)

// benchDir is the openalpr benchmark beside the checkout; OCR_EVAL_DIR
// points the evaluation at another labelled folder (e.g. a split of it).
func benchDir(t testing.TB) string {
	if d := os.Getenv("OCR_EVAL_DIR"); d != "" {
		return d
	}
	d, err := filepath.Abs(filepath.Join("..", "..", "shared", "alpr-bench", "dev"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(d, "labels.csv")); err != nil {
		t.Skipf("no benchmark photos at %s", d)
	}
	return d
}

// TestEvaluateDev measures the reader on the real benchmark photos. The
// floors are well under the goals: they catch a broken pipeline
// without tying the test to one model's figures (those go in the report).
func TestEvaluateDev(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("reads 113 photos; run without -short and -race")
	}
	dir := benchDir(t)
	r := openTestReader(t)
	rep, err := Evaluate(context.Background(), r, dir)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	rep.WriteTo(&b)
	t.Logf("evaluation of %s:\n%s", dir, b.String())
	if rep.DetectionRecall < 0.95 || rep.Top1 < 0.84 || rep.Top3 < 0.88 {
		t.Errorf("reader far below goals: recall %.2f, top-1 %.2f, top-3 %.2f", rep.DetectionRecall, rep.Top1, rep.Top3)
	}
}

// BenchmarkReadDevPhotos is the whole pipeline on the benchmark's real
// photos (busier than synthetic traffic: grilles, signs, van lettering), one
// OpenCV thread; run with -cpu 1.
func BenchmarkReadDevPhotos(b *testing.B) {
	dir := benchDir(b)
	labels, err := LoadLabels(dir)
	if err != nil {
		b.Fatal(err)
	}
	var photos []gocv.Mat
	for _, l := range labels {
		img := gocv.IMRead(filepath.Join(dir, l.File), gocv.IMReadColor)
		if img.Empty() {
			b.Fatalf("cannot read %s", l.File)
		}
		defer img.Close()
		photos = append(photos, img)
	}
	SetOpenCVThreads(1)
	defer SetOpenCVThreads(-1)
	benchmarkRead(b, photos)
}
