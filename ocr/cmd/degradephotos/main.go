// Command degradephotos makes a harder copy of a labelled photo set (alpr-bench/dev): each
// photo seen as a patrol car's camera sees plates that dev's photos rarely show, its label's
// box moved with it. Real plates under what the synthetic hard photos draw (make eval):
//
//   - small: the photo shrunk until the plate is 65–85 px wide (characters 15–20 px high);
//   - motion: a streak along a random direction, 4–8 % of the plate's width long (half a
//     character's width);
//   - night: exposure cut until the plate's mean is 50–75 grey levels (dim, but there),
//     the shadows darker still, sensor noise, the dark then compressed;
//   - oblique: the photo turned 25–40° about its upright axis and tilted a little;
//   - jpeg: shrunk by 20–30 % (no plate under 60 px wide) and compressed at quality 15–30.
//
// Every case stays readable by a person looking at the plate: the set measures reading
// plates as a camera sees them, not guessing at plates no one can read.
//
// Each photo keeps its file name, so it stays in its half (ocr.HalfOf): the degraded tune
// photos are tune, the held are held. The case is drawn per photo from the seed and the file
// name alone, so adding photos changes no other photo.
//
//	go run ./ocr/cmd/degradephotos -src ../shared/alpr-bench/dev -dir /tmp/dev-degraded [-seed 4301] [-half tune]
package main

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"image"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"

	"gocv.io/x/gocv"

	"patrol-alpr/ocr"
)

func main() {
	src := flag.String("src", "", "labelled photo folder (labels.csv with file, plate, x, y, w, h)")
	dir := flag.String("dir", "", "folder to write the degraded photos and their labels.csv into")
	seed := flag.Uint64("seed", 4301, "seed of the cases and their strengths")
	half := flag.String("half", "", "only the photos of this half (tune or held; ocr.HalfOf), for training data cut from tune alone")
	flag.Parse()
	if *src == "" || *dir == "" || (*half != "" && *half != ocr.HalfTune && *half != ocr.HalfHeld) {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*src, *dir, *seed, *half); err != nil {
		fmt.Fprintln(os.Stderr, "degradephotos:", err)
		os.Exit(1)
	}
}

// cases are the conditions a photo is degraded by, one each.
var cases = [...]string{"small", "motion", "night", "oblique", "jpeg"}

// run degrades the photos of src (those of half, or all when half is "") into dir.
func run(src, dir string, seed uint64, half string) error {
	labels, err := ocr.LoadLabels(src)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("make %s: %w", dir, err)
	}
	rows := [][]string{{"file", "plate", "x", "y", "w", "h", "case"}}
	for _, l := range labels {
		if half != "" && ocr.HalfOf(l.File) != half {
			continue
		}
		if l.IsCrop() {
			return fmt.Errorf("%s in %s has no box: degradephotos needs photos with the plate's box", l.File, src)
		}
		rng := photoRand(seed, l.File)
		kind := cases[rng.IntN(len(cases))]
		box, err := degradeFile(filepath.Join(src, l.File), filepath.Join(dir, l.File), l.Box, kind, rng)
		if err != nil {
			return err
		}
		rows = append(rows, []string{l.File, l.Plate, strconv.Itoa(box.Min.X), strconv.Itoa(box.Min.Y),
			strconv.Itoa(box.Dx()), strconv.Itoa(box.Dy()), kind})
	}
	f, err := os.Create(filepath.Join(dir, "labels.csv"))
	if err != nil {
		return fmt.Errorf("write labels: %w", err)
	}
	w := csv.NewWriter(f)
	w.WriteAll(rows)
	if err := errors.Join(w.Error(), f.Close()); err != nil {
		return fmt.Errorf("write labels: %w", err)
	}
	fmt.Printf("degradephotos: %d photos written to %s\n", len(rows)-1, dir)
	return nil
}

// photoRand is the photo's own random numbers: the seed and its file name alone.
func photoRand(seed uint64, file string) *rand.Rand {
	h := sha256.Sum256([]byte(file))
	return rand.New(rand.NewPCG(seed, binary.LittleEndian.Uint64(h[:8])))
}

func degradeFile(from, to string, box image.Rectangle, kind string, rng *rand.Rand) (image.Rectangle, error) {
	img := gocv.IMRead(from, gocv.IMReadColor)
	if img.Empty() {
		return image.Rectangle{}, fmt.Errorf("read %s: not an image", from)
	}
	defer img.Close()
	out, outBox, quality, err := degrade(img, box, kind, rng)
	if err != nil {
		return image.Rectangle{}, fmt.Errorf("degrade %s (%s): %w", from, kind, err)
	}
	defer out.Close()
	buf, err := gocv.IMEncodeWithParams(gocv.JPEGFileExt, out, []int{gocv.IMWriteJpegQuality, quality})
	if err != nil {
		return image.Rectangle{}, fmt.Errorf("encode %s: %w", to, err)
	}
	defer buf.Close()
	if err := os.WriteFile(to, buf.GetBytes(), 0o644); err != nil {
		return image.Rectangle{}, fmt.Errorf("write %s: %w", to, err)
	}
	return outBox, nil
}

// degrade returns the photo under case kind, where its plate's box went, and the JPEG
// quality to store it at (95 but for the jpeg case, whose compression is the degradation).
func degrade(img gocv.Mat, box image.Rectangle, kind string, rng *rand.Rand) (gocv.Mat, image.Rectangle, int, error) {
	const quality = 95
	w := float64(box.Dx())
	switch kind {
	case "small":
		s := min(1, (65+20*rng.Float64())/w)
		return resize(img, s), scaleBox(box, s), quality, nil
	case "jpeg":
		s := min(1, max(0.7+0.1*rng.Float64(), 60/w))
		return resize(img, s), scaleBox(box, s), 15 + rng.IntN(16), nil
	case "motion":
		out := gocv.NewMat()
		motion(img, &out, w*(0.04+0.04*rng.Float64()), rng.Float64()*math.Pi)
		return out, box, quality, nil
	case "night":
		in := box.Intersect(image.Rect(0, 0, img.Cols(), img.Rows()))
		if in.Empty() {
			return gocv.Mat{}, image.Rectangle{}, 0, fmt.Errorf("plate box %v outside the %dx%d photo", box, img.Cols(), img.Rows())
		}
		plate := img.Region(in)
		bright := plate.Mean()
		plate.Close()
		lit := (bright.Val1 + bright.Val2 + bright.Val3) / 3
		out := gocv.NewMat()
		night(img, &out, min(1, (50+25*rng.Float64())/max(1, lit)), 3+3*rng.Float64(), rng)
		return out, box, 70, nil
	case "oblique":
		out := gocv.NewMat()
		b, err := oblique(img, &out, box, 25+15*rng.Float64(), 3+5*rng.Float64(), rng.IntN(2) == 0)
		if err != nil {
			out.Close()
		}
		return out, b, quality, err
	}
	return gocv.Mat{}, image.Rectangle{}, 0, fmt.Errorf("no case %q", kind)
}

// resize is the photo shrunk by s (a copy when s is 1 or more).
func resize(img gocv.Mat, s float64) gocv.Mat {
	out := gocv.NewMat()
	if s >= 1 {
		img.CopyTo(&out)
		return out
	}
	gocv.Resize(img, &out, image.Pt(int(math.Round(float64(img.Cols())*s)), int(math.Round(float64(img.Rows())*s))), 0, 0, gocv.InterpolationArea)
	return out
}

// scaleBox is b in the photo shrunk by s.
func scaleBox(b image.Rectangle, s float64) image.Rectangle {
	if s >= 1 {
		return b
	}
	r := func(v int) int { return int(math.Round(float64(v) * s)) }
	return image.Rect(r(b.Min.X), r(b.Min.Y), r(b.Max.X), r(b.Max.Y))
}

// motion smears the photo along angle (radians) over length pixels, as a plate passing
// during the exposure is smeared.
func motion(img gocv.Mat, out *gocv.Mat, length, angle float64) {
	n := max(3, int(math.Round(length))|1)
	k := gocv.NewMatWithSize(n, n, gocv.MatTypeCV32F)
	defer k.Close()
	c := float64(n-1) / 2
	steps := 4 * n
	for i := 0; i < steps; i++ {
		t := float64(i)/float64(steps-1)*2 - 1
		x := int(math.Round(c + t*c*math.Cos(angle)))
		y := int(math.Round(c + t*c*math.Sin(angle)))
		k.SetFloatAt(y, x, k.GetFloatAt(y, x)+1)
	}
	sum := k.Sum().Val1
	k.DivideFloat(float32(sum))
	gocv.Filter2D(img, out, -1, k, image.Pt(-1, -1), 0, gocv.BorderReplicate)
}

// night cuts the exposure to gain, darkens the shadows more than the lights (a camera's
// curve at night), and adds sensor noise of sigma grey levels.
func night(img gocv.Mat, out *gocv.Mat, gain, sigma float64, rng *rand.Rand) {
	img.CopyTo(out)
	px, _ := out.DataPtrUint8()
	var lut [256]float64
	for v := range lut {
		lut[v] = 255 * gain * math.Pow(float64(v)/255, 1.3)
	}
	for i, v := range px {
		px[i] = clamp(lut[v] + sigma*rng.NormFloat64())
	}
}

func clamp(v float64) uint8 {
	return uint8(max(0, min(255, math.Round(v))))
}

// oblique turns the photo yaw degrees about its upright axis (the far side shrinks) and
// tilts it, and returns where the box went: the bounding box of its four corners warped.
func oblique(img gocv.Mat, out *gocv.Mat, box image.Rectangle, yaw, tilt float64, farRight bool) (image.Rectangle, error) {
	w, h := float64(img.Cols()), float64(img.Rows())
	squeeze := math.Cos(yaw * math.Pi / 180)         // the width, and the far edge's height, shrink by this
	drop := h * (1 - squeeze) / 2                    // the far edge shortens at both ends
	lean := w * math.Tan(tilt*math.Pi/180) * squeeze // and a tilt lowers it
	pt := func(x, y float64) gocv.Point2f { return gocv.Point2f{X: float32(x), Y: float32(y)} }
	nearTop, nearBottom := 0.0, h
	farTop, farBottom := drop+lean, h-drop+lean
	dst := []gocv.Point2f{pt(0, nearTop), pt(w*squeeze, farTop), pt(w*squeeze, farBottom), pt(0, nearBottom)}
	if !farRight {
		dst = []gocv.Point2f{pt(0, farTop), pt(w*squeeze, nearTop), pt(w*squeeze, nearBottom), pt(0, farBottom)}
	}
	srcV := gocv.NewPoint2fVectorFromPoints([]gocv.Point2f{{X: 0, Y: 0}, {X: float32(w), Y: 0}, {X: float32(w), Y: float32(h)}, {X: 0, Y: float32(h)}})
	defer srcV.Close()
	dstV := gocv.NewPoint2fVectorFromPoints(dst)
	defer dstV.Close()
	m := gocv.GetPerspectiveTransform2f(srcV, dstV)
	defer m.Close()
	if m.Empty() {
		return image.Rectangle{}, errors.New("no perspective transform")
	}
	size := image.Pt(int(math.Ceil(w*squeeze)), int(math.Ceil(h+math.Abs(lean))))
	gocv.WarpPerspective(img, out, m, size)
	var r image.Rectangle
	for i, p := range []image.Point{box.Min, {box.Max.X, box.Min.Y}, box.Max, {box.Min.X, box.Max.Y}} {
		q := apply(m, float64(p.X), float64(p.Y))
		if i == 0 {
			r = image.Rectangle{Min: q, Max: q}
		}
		r = r.Union(image.Rectangle{Min: q, Max: q.Add(image.Pt(1, 1))})
	}
	return r, nil
}

// apply maps a point through a 3×3 homography.
func apply(m gocv.Mat, x, y float64) image.Point {
	at := func(r, c int) float64 { return m.GetDoubleAt(r, c) }
	d := at(2, 0)*x + at(2, 1)*y + at(2, 2)
	return image.Pt(int(math.Round((at(0, 0)*x+at(0, 1)*y+at(0, 2))/d)), int(math.Round((at(1, 0)*x+at(1, 1)*y+at(1, 2))/d)))
}
