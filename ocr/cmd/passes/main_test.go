package main

import (
	"image"
	"image/color"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gocv.io/x/gocv"

	"patrol-alpr/ocr"
)

// TestApproachKeepsThePlatesBox: at every scale of a pass the box returned is where the plate
// went, found again as the frame's bright pixels.
func TestApproachKeepsThePlatesBox(t *testing.T) {
	box := image.Rect(700, 400, 820, 460)
	img := gocv.NewMatWithSizeFromScalar(gocv.NewScalar(60, 60, 60, 0), 720, 1280, gocv.MatTypeCV8UC3)
	defer img.Close()
	gocv.Rectangle(&img, box, color.RGBA{250, 250, 250, 0}, -1)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 5 {
		s := scaleAt(i, 5)
		frame, got, err := approach(img, box, s, rng)
		if err != nil {
			t.Fatal(err)
		}
		if frame.Cols() != img.Cols() || frame.Rows() != img.Rows() {
			t.Errorf("scale %.2f: frame %dx%d, want the photo's size", s, frame.Cols(), frame.Rows())
		}
		grey := gocv.NewMat()
		gocv.CvtColor(frame, &grey, gocv.ColorBGRToGray)
		mask := gocv.NewMat()
		gocv.Threshold(grey, &mask, 150, 255, gocv.ThresholdBinary)
		pts := gocv.NewMat()
		gocv.FindNonZero(mask, &pts)
		bright := gocv.BoundingRect(gocv.NewPointVectorFromMat(pts))
		if ocr.IoU(got, bright) < 0.8 {
			t.Errorf("scale %.2f: box %v, the plate's pixels at %v", s, got, bright)
		}
		if want := int(120 * s); got.Dx() < want-2 || got.Dx() > want+2 {
			t.Errorf("scale %.2f: plate %d px wide, want about %d", s, got.Dx(), want)
		}
		for _, m := range []gocv.Mat{frame, grey, mask, pts} {
			m.Close()
		}
	}
	if scaleAt(0, 5) != 0.7 || scaleAt(4, 5) != 1 || scaleAt(0, 1) != 1 {
		t.Errorf("scales %.2f … %.2f, one frame %.2f: want 0.7 … 1 and 1", scaleAt(0, 5), scaleAt(4, 5), scaleAt(0, 1))
	}
}

// TestRunRefusesCrops: a folder of plate crops (no boxes) is refused, naming the file.
func TestRunRefusesCrops(t *testing.T) {
	src := t.TempDir()
	if err := os.WriteFile(filepath.Join(src, "labels.csv"), []byte("file,state,plate\ncrop1.png,CA,7ABC123\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := run(src, filepath.Join("..", "..", "..", "assets", "models"), 5, false)
	if err == nil || !strings.Contains(err.Error(), "crop1.png") {
		t.Errorf("error %v, want one naming crop1.png", err)
	}
}
