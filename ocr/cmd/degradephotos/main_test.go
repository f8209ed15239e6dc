package main

import (
	"image"
	"image/color"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gocv.io/x/gocv"

	"patrol-alpr/ocr"
)

// TestDegradeKeepsThePlatesBox: under every case the box returned is where the plate went.
// The photo is a grey street with one white plate; after the case the plate is found again
// as the bright pixels, and the box must cover them.
func TestDegradeKeepsThePlatesBox(t *testing.T) {
	box := image.Rect(700, 400, 820, 460)
	for _, kind := range cases {
		t.Run(kind, func(t *testing.T) {
			img := gocv.NewMatWithSizeFromScalar(gocv.NewScalar(60, 60, 60, 0), 720, 1280, gocv.MatTypeCV8UC3)
			defer img.Close()
			gocv.Rectangle(&img, box, color.RGBA{250, 250, 250, 0}, -1)
			out, got, quality, err := degrade(img, box, kind, rand.New(rand.NewPCG(1, 2)))
			if err != nil {
				t.Fatal(err)
			}
			defer out.Close()
			if quality < 15 || quality > 95 {
				t.Errorf("quality %d", quality)
			}
			if kind == "small" && got.Dx() > 85 {
				t.Errorf("small: plate %d px wide, want at most 85", got.Dx())
			}
			bright := brightBox(t, out)
			if ocr.IoU(got, bright) < 0.7 {
				t.Errorf("box %v, the plate's bright pixels at %v (IoU %.2f)", got, bright, ocr.IoU(got, bright))
			}
		})
	}
	img := gocv.NewMatWithSize(100, 100, gocv.MatTypeCV8UC3)
	defer img.Close()
	if _, _, _, err := degrade(img, box, "fog", rand.New(rand.NewPCG(1, 2))); err == nil || !strings.Contains(err.Error(), "fog") {
		t.Errorf("an unknown case: error %v, want one naming it", err)
	}
}

// brightBox is the bounds of the pixels brighter than the street (its grey, darkened or
// noisy, stays far under the plate's mid level).
func brightBox(t *testing.T, img gocv.Mat) image.Rectangle {
	grey := gocv.NewMat()
	defer grey.Close()
	gocv.CvtColor(img, &grey, gocv.ColorBGRToGray)
	_, maxV, _, _ := gocv.MinMaxLoc(grey)
	mask := gocv.NewMat()
	defer mask.Close()
	gocv.Threshold(grey, &mask, (maxV+20)/2, 255, gocv.ThresholdBinary)
	pts := gocv.NewMat()
	defer pts.Close()
	gocv.FindNonZero(mask, &pts)
	if pts.Empty() {
		t.Fatal("no plate left in the photo")
	}
	return gocv.BoundingRect(gocv.NewPointVectorFromMat(pts))
}

// TestRunKeepsNamesAndHalves: the folder written has every photo under its own name (so
// its half), a label for each with the case, and boxes inside the photos.
func TestRunKeepsNamesAndHalves(t *testing.T) {
	src, dir := t.TempDir(), filepath.Join(t.TempDir(), "out")
	var labels strings.Builder
	labels.WriteString("file,plate,x,y,w,h\n")
	for i, name := range []string{"a.jpg", "b.jpg", "c.jpg", "d.jpg", "e.jpg", "f.jpg"} {
		img := gocv.NewMatWithSizeFromScalar(gocv.NewScalar(70, 80, 90, 0), 480, 640, gocv.MatTypeCV8UC3)
		gocv.Rectangle(&img, image.Rect(200+10*i, 300, 320+10*i, 360), color.RGBA{240, 240, 240, 0}, -1)
		if !gocv.IMWrite(filepath.Join(src, name), img) {
			t.Fatal("write photo")
		}
		img.Close()
		labels.WriteString(name + ",ABC123," + strconv.Itoa(200+10*i) + ",300,120,60\n")
	}
	if err := os.WriteFile(filepath.Join(src, "labels.csv"), []byte(labels.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := run(src, dir, 7, ""); err != nil {
		t.Fatal(err)
	}
	got, err := ocr.LoadLabels(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 6 {
		t.Fatalf("%d labels, want 6", len(got))
	}
	for _, l := range got {
		img := gocv.IMRead(filepath.Join(dir, l.File), gocv.IMReadColor)
		if img.Empty() {
			t.Fatalf("%s not written", l.File)
		}
		if !l.Box.In(image.Rect(0, 0, img.Cols()+1, img.Rows()+1)) || l.Plate != "ABC123" {
			t.Errorf("%s: box %v in a %dx%d photo, plate %q", l.File, l.Box, img.Cols(), img.Rows(), l.Plate)
		}
		img.Close()
	}
	again := filepath.Join(t.TempDir(), "again")
	if err := run(src, again, 7, ""); err != nil {
		t.Fatal(err)
	}
	a, _ := os.ReadFile(filepath.Join(dir, "labels.csv"))
	b, _ := os.ReadFile(filepath.Join(again, "labels.csv"))
	if string(a) != string(b) {
		t.Errorf("the same seed gave other labels:\n%s\n%s", a, b)
	}
}

// TestRunRefusesCrops: a folder of plate crops (no boxes) is refused, naming the file.
func TestRunRefusesCrops(t *testing.T) {
	src := t.TempDir()
	if err := os.WriteFile(filepath.Join(src, "labels.csv"), []byte("file,state,plate\ncrop1.png,CA,7ABC123\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := run(src, t.TempDir(), 1, "")
	if err == nil || !strings.Contains(err.Error(), "crop1.png") {
		t.Errorf("error %v, want one naming crop1.png", err)
	}
}

// TestRunHalf: -half keeps the photos of that half alone, by ocr.HalfOf.
func TestRunHalf(t *testing.T) {
	src := t.TempDir()
	var labels strings.Builder
	labels.WriteString("file,plate,x,y,w,h\n")
	tune := 0
	for i := range 12 {
		name := "p" + strconv.Itoa(i) + ".jpg"
		if ocr.HalfOf(name) == ocr.HalfTune {
			tune++
		}
		img := gocv.NewMatWithSizeFromScalar(gocv.NewScalar(70, 80, 90, 0), 240, 320, gocv.MatTypeCV8UC3)
		if !gocv.IMWrite(filepath.Join(src, name), img) {
			t.Fatal("write photo")
		}
		img.Close()
		labels.WriteString(name + ",ABC123,100,100,80,40\n")
	}
	if tune == 0 || tune == 12 {
		t.Fatalf("%d of 12 names in tune: pick other names", tune)
	}
	if err := os.WriteFile(filepath.Join(src, "labels.csv"), []byte(labels.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "tune")
	if err := run(src, dir, 7, ocr.HalfTune); err != nil {
		t.Fatal(err)
	}
	got, err := ocr.LoadLabels(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != tune {
		t.Errorf("%d photos written, want the %d of tune", len(got), tune)
	}
	for _, l := range got {
		if ocr.HalfOf(l.File) != ocr.HalfTune {
			t.Errorf("%s is held", l.File)
		}
	}
}

// TestDegradeRefusesABoxOutside: a label whose box lies outside its photo is an error naming
// the box, not a crash, under the case that reads the plate's pixels.
func TestDegradeRefusesABoxOutside(t *testing.T) {
	img := gocv.NewMatWithSize(100, 200, gocv.MatTypeCV8UC3)
	defer img.Close()
	_, _, _, err := degrade(img, image.Rect(300, 300, 380, 340), "night", rand.New(rand.NewPCG(1, 2)))
	if err == nil || !strings.Contains(err.Error(), "outside") {
		t.Errorf("error %v, want one saying the box is outside the photo", err)
	}
}
