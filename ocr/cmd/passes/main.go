// Command passes measures what the tracker's voting over frames adds on real plates: each
// labelled photo becomes a short pass, the vehicle approaching the camera (the photo shrunk to
// 70 % and growing back to its own size over the frames, each frame with a little sensor
// noise and JPEG compression as a camera's stream has), read frame by frame and voted by an
// ocr.Tracker as the car does. It prints, for the whole set and its two halves (ocr.HalfOf),
// the last frame read once (the photo at its own size, through the same noise) beside the
// pass's plate.
//
//	go run ./ocr/cmd/passes -photos ../shared/alpr-bench/dev [-frames 5] [-model assets/models]
package main

import (
	"flag"
	"fmt"
	"image"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"gocv.io/x/gocv"

	"patrol-alpr/ocr"
)

func main() {
	photos := flag.String("photos", "", "folder of photos with labels.csv (file,plate,x,y,w,h)")
	model := flag.String("model", "assets/models", "model folder of the reader")
	frames := flag.Int("frames", 5, "frames a pass")
	verbose := flag.Bool("v", false, "print every photo whose pass was not read right")
	flag.Parse()
	if *photos == "" || *frames < 1 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*photos, *model, *frames, *verbose); err != nil {
		fmt.Fprintln(os.Stderr, "passes:", err)
		os.Exit(1)
	}
}

// outcome is one photo's: its half, whether its plate was read right alone and by the pass,
// and whether the pass found it at all.
type outcome struct {
	half                  string
	once, pass, passFound bool
	read                  string // the pass's plate, or what each frame read
}

func run(dir, model string, frames int, verbose bool) error {
	labels, err := ocr.LoadLabels(dir)
	if err != nil {
		return err
	}
	r, err := ocr.Open(ocr.Options{ModelDir: model})
	if err != nil {
		return fmt.Errorf("open reader: %w", err)
	}
	defer r.Close()
	var out []outcome
	for _, l := range labels {
		if l.IsCrop() {
			return fmt.Errorf("%s has no box: passes needs photos with the plate's box", l.File)
		}
		img := gocv.IMRead(filepath.Join(dir, l.File), gocv.IMReadColor)
		if img.Empty() {
			return fmt.Errorf("read %s: not an image", l.File)
		}
		o, err := onePass(r, img, l, frames)
		img.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", l.File, err)
		}
		out = append(out, o)
		if verbose && !o.pass {
			fmt.Printf("  miss %-45s want %-8s read once %v; pass %s\n", l.File, l.Plate, o.once, o.read)
		}
	}
	for _, half := range []string{"", ocr.HalfTune, ocr.HalfHeld} {
		report(out, half)
	}
	return nil
}

// scaleAt is frame i's scale of the photo: 0.7 at the first, 1 at the last.
func scaleAt(i, frames int) float64 {
	if frames == 1 {
		return 1
	}
	return 0.7 + 0.3*float64(i)/float64(frames-1)
}

// onePass reads the photo's pass and scores it against its label.
func onePass(r *ocr.Reader, img gocv.Mat, l ocr.Labelled, frames int) (outcome, error) {
	o := outcome{half: ocr.HalfOf(l.File)}
	rng := rand.New(rand.NewPCG(uint64(len(l.File)), uint64(l.Box.Min.X)))
	tr := ocr.NewTracker(ocr.TrackerOptions{})
	defer tr.Close()
	t0 := time.Unix(0, 0)
	var passes []ocr.Pass
	boxes := make([]image.Rectangle, frames)
	for i := range frames {
		s := scaleAt(i, frames)
		frame, box, err := approach(img, l.Box, s, rng)
		if err != nil {
			return o, err
		}
		boxes[i] = box
		reads, err := r.Read(frame)
		frame.Close()
		if err != nil {
			return o, fmt.Errorf("read frame %d: %w", i, err)
		}
		at := l
		at.Box = box
		res := ocr.Score(at, reads)
		if i == frames-1 {
			o.once = res.Read == l.Plate
		}
		o.read += "[" + res.Read + "] "
		passes = append(passes, tr.Add(t0.Add(time.Duration(i)*100*time.Millisecond), reads)...)
		for _, rd := range reads {
			rd.Crop.Close()
		}
	}
	passes = append(passes, tr.Flush()...)
	// The pass over the plate is scored as eval scores a photo's reads: the one overlapping
	// the plate best, in the frame its best read came from.
	var best ocr.ImageResult
	for _, p := range passes {
		at := l
		at.Box = boxes[int(p.BestAt.Sub(t0)/(100*time.Millisecond))]
		if res := ocr.Score(at, []ocr.PlateRead{p.Best}); res.IoU > best.IoU {
			best = res
			o.read += fmt.Sprintf("%s (%d of %d frames) ", p.Best.Plate, p.Votes, p.Frames)
		}
		p.Best.Crop.Close()
	}
	o.pass, o.passFound = best.Read == l.Plate, best.IoU >= 0.5
	return o, nil
}

// approach is the photo as a camera sees the vehicle farther off: shrunk by s onto a canvas
// of its size, its plate's box moved with it; every frame, the last (the photo's own size)
// too, gets sensor noise and a JPEG round trip, so the last frame read once and the pass
// see the same camera.
func approach(img gocv.Mat, box image.Rectangle, s float64, rng *rand.Rand) (gocv.Mat, image.Rectangle, error) {
	frame := gocv.NewMatWithSize(img.Rows(), img.Cols(), img.Type())
	if s >= 1 {
		img.CopyTo(&frame)
	} else {
		small := gocv.NewMat()
		defer small.Close()
		gocv.Resize(img, &small, image.Pt(int(math.Round(float64(img.Cols())*s)), int(math.Round(float64(img.Rows())*s))), 0, 0, gocv.InterpolationArea)
		// The shrunk photo sits centred on where its plate was, as a camera keeps an
		// approaching plate near the same place.
		cx, cy := float64(box.Min.X+box.Max.X)/2, float64(box.Min.Y+box.Max.Y)/2
		ox := min(max(0, int(math.Round(cx-cx*s))), frame.Cols()-small.Cols())
		oy := min(max(0, int(math.Round(cy-cy*s))), frame.Rows()-small.Rows())
		frame.SetTo(gocv.NewScalar(0, 0, 0, 0))
		roi := frame.Region(image.Rect(ox, oy, ox+small.Cols(), oy+small.Rows()))
		small.CopyTo(&roi)
		roi.Close()
		r := func(v int, o int) int { return o + int(math.Round(float64(v)*s)) }
		box = image.Rect(r(box.Min.X, ox), r(box.Min.Y, oy), r(box.Max.X, ox), r(box.Max.Y, oy))
	}
	px, err := frame.DataPtrUint8()
	if err != nil {
		frame.Close()
		return gocv.Mat{}, box, err
	}
	for i, v := range px {
		px[i] = uint8(max(0, min(255, math.Round(float64(v)+2*rng.NormFloat64()))))
	}
	buf, err := gocv.IMEncodeWithParams(gocv.JPEGFileExt, frame, []int{gocv.IMWriteJpegQuality, 85})
	frame.Close()
	if err != nil {
		return gocv.Mat{}, box, err
	}
	defer buf.Close()
	dec, err := gocv.IMDecode(buf.GetBytes(), gocv.IMReadColor)
	return dec, box, err
}

func report(out []outcome, half string) {
	var n, once, pass, found int
	for _, o := range out {
		if half != "" && o.half != half {
			continue
		}
		n++
		if o.once {
			once++
		}
		if o.pass {
			pass++
		}
		if o.passFound {
			found++
		}
	}
	if n == 0 {
		return
	}
	name := "all"
	if half != "" {
		name = "half " + half
	}
	pc := func(k int) float64 { return 100 * float64(k) / float64(n) }
	fmt.Printf("%-10s %3d photos: read once %5.1f %% right; as a pass %5.1f %% right, %5.1f %% found\n", name, n, pc(once), pc(pass), pc(found))
}
