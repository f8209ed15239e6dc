// Command readercrops writes the crops the whole reader cuts round labelled plate crops, for
// training the state classifier on what it sees in the car (ocr/train/state.py): each plate
// of the tune half (ocr.HalfOf; the held half is never read) is pasted into a grey canvas
// three times its size, as `patrol-alpr eval --in-canvas` does, once as it is and n-1 times
// shrunk and placed at random, and the colour crop of the read over it is saved.
//
//	go run ./ocr/cmd/readercrops -crops alpr-bench/crops -out DIR -n 4 -seed 1
package main

import (
	"encoding/csv"
	"flag"
	"fmt"
	"image"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"

	"gocv.io/x/gocv"

	"patrol-alpr/ocr"
)

func main() {
	crops := flag.String("crops", "", "folder of plate crops with labels.csv (file,state,plate)")
	out := flag.String("out", "", "folder to write the reader's crops and labels.csv into")
	model := flag.String("model", "assets/models", "model folder of the reader")
	n := flag.Int("n", 4, "canvases a plate: the first as eval --in-canvas pastes it, the rest shrunk")
	seed := flag.Uint64("seed", 1, "seed of the random sizes and places")
	flag.Parse()
	if err := run(*crops, *out, *model, *n, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "readercrops:", err)
		os.Exit(1)
	}
}

func run(crops, out, model string, n int, seed uint64) error {
	if crops == "" || out == "" || n < 1 {
		return fmt.Errorf("want -crops, -out and -n >= 1")
	}
	labels, err := ocr.LoadLabels(crops)
	if err != nil {
		return err
	}
	r, err := ocr.Open(ocr.Options{ModelDir: model})
	if err != nil {
		return err
	}
	defer r.Close()
	ocr.SetOpenCVThreads(1)
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(out, "labels.csv"))
	if err != nil {
		return err
	}
	defer f.Close()
	w := csv.NewWriter(f)
	w.Write([]string{"file", "state", "source", "draw", "plate", "read", "iou"})
	found, tried := 0, 0
	for _, l := range labels {
		if ocr.HalfOf(l.File) != ocr.HalfTune || l.State == "" {
			continue
		}
		src := gocv.IMRead(filepath.Join(crops, l.File), gocv.IMReadColor)
		if src.Empty() {
			src.Close()
			return fmt.Errorf("cannot decode %s", l.File)
		}
		rng := rand.New(rand.NewPCG(seed, uint64(len(l.File))*1000003+uint64(l.File[0])))
		for k := range n {
			tried++
			canvas, at := canvasOf(src, k, rng)
			reads, err := r.Read(canvas)
			canvas.Close()
			if err != nil {
				src.Close()
				return fmt.Errorf("%s: %w", l.File, err)
			}
			best, bestIoU := -1, 0.0
			for i, rd := range reads {
				if v := ocr.IoU(rd.Box(), at); v > bestIoU {
					best, bestIoU = i, v
				}
			}
			if best >= 0 {
				name := fmt.Sprintf("%s-%d.png", strings.TrimSuffix(l.File, filepath.Ext(l.File)), k)
				if !gocv.IMWrite(filepath.Join(out, name), reads[best].Crop) {
					src.Close()
					return fmt.Errorf("write %s", name)
				}
				w.Write([]string{name, l.State, l.File, fmt.Sprint(k), l.Plate, reads[best].Plate, fmt.Sprintf("%.3f", bestIoU)})
				found++
			}
			for _, rd := range reads {
				rd.Crop.Close()
			}
		}
		src.Close()
	}
	w.Flush()
	fmt.Fprintf(os.Stderr, "readercrops: %d crops cut of %d canvases\n", found, tried)
	return w.Error()
}

// canvasOf is draw k of a plate: k = 0 the crop as eval --in-canvas pastes it; otherwise the
// crop shrunk to between its own width and 80 px (log-uniform), a third of them slightly blurred,
// placed at random in a canvas of random grey three times its size.
func canvasOf(src gocv.Mat, k int, rng *rand.Rand) (gocv.Mat, image.Rectangle) {
	if k == 0 {
		return ocr.PasteInCanvas(src)
	}
	w := src.Cols()
	minW := math.Min(float64(w), 80)
	tw := int(math.Exp(math.Log(minW) + rng.Float64()*(math.Log(float64(w))-math.Log(minW))))
	th := max(8, int(math.Round(float64(src.Rows())*float64(tw)/float64(w))))
	small := gocv.NewMat()
	defer small.Close()
	gocv.Resize(src, &small, image.Pt(tw, th), 0, 0, gocv.InterpolationArea)
	if rng.Float64() < 0.3 {
		gocv.GaussianBlur(small, &small, image.Pt(3, 3), 0.4+0.6*rng.Float64(), 0, gocv.BorderReplicate)
	}
	g := 60 + rng.Float64()*140
	canvas := gocv.NewMatWithSizeFromScalar(gocv.NewScalar(g, g, g, 0), 3*th, 3*tw, src.Type())
	x, y := int(rng.Float64()*float64(2*tw)), int(rng.Float64()*float64(2*th))
	at := image.Rect(x, y, x+tw, y+th)
	roi := canvas.Region(at)
	small.CopyTo(&roi)
	roi.Close()
	return canvas, at
}
