package ocr

import (
	"image"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gocv.io/x/gocv"
)

func TestDebugOne(t *testing.T) {
	files := os.Getenv("OCR_DEBUG_FILE")
	if files == "" {
		t.Skip()
	}
	labels, _ := LoadLabels("/work/shared/alpr-bench/dev")
	r := openTestReader(t)
	for _, f := range strings.Fields(files) {
		img := gocv.IMRead(filepath.Join("/work/shared/alpr-bench/dev", f), gocv.IMReadColor)
		gocv.CvtColor(img, &r.grey, gocv.ColorBGRToGray)
		for _, p := range r.prop.propose(r.grey) {
			gocv.Rectangle(&img, p, color.RGBA{255, 0, 0, 0}, 1)
			for _, row := range r.rows.find(r.grey, p) {
				for _, c := range row.chars {
					gocv.Rectangle(&img, image.Rect(int(c.x), int(c.y), int(c.x+c.w), int(c.y+c.h)), color.RGBA{0, 255, 255, 0}, 1)
				}
				gocv.Rectangle(&img, bounds(plateQuad(row).scaled(1)), color.RGBA{0, 255, 0, 0}, 1)
			}
		}
		for _, l := range labels {
			if l.File == f {
				gocv.Rectangle(&img, l.Box, color.RGBA{0, 0, 255, 0}, 1)
				roi := l.Box.Inset(-l.Box.Dx()).Intersect(image.Rect(0, 0, img.Cols(), img.Rows()))
				crop := img.Region(roi)
				big := gocv.NewMat()
				gocv.Resize(crop, &big, image.Pt(0, 0), 3, 3, gocv.InterpolationNearestNeighbor)
				gocv.IMWrite("/tmp/ocrlook/dbg-"+f+".png", big)
				big.Close()
				crop.Close()
			}
		}
		img.Close()
	}
}
