package ocr

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"testing"

	"gocv.io/x/gocv"
)

// framedPlate draws a dark-on-light plate whose frame touches the tops and
// bottoms of its characters, set in a black surround on a grey car, and
// returns the grey frame and the text's bounding box.
func framedPlate(t *testing.T, text string, scale float64) (gocv.Mat, image.Rectangle) {
	t.Helper()
	img := gocv.NewMatWithSizeFromScalar(gocv.NewScalar(120, 120, 120, 0), 720, 1280, gocv.MatTypeCV8UC1)
	size := gocv.GetTextSize(text, gocv.FontHersheyDuplex, scale, int(math.Max(2, scale*2)))
	org := image.Pt(640-size.X/2, 360+size.Y/2)
	textBox := image.Rect(org.X, org.Y-size.Y, org.X+size.X, org.Y)
	pad := size.Y / 2
	gocv.Rectangle(&img, textBox.Inset(-3*pad), color.RGBA{15, 15, 15, 0}, -1)  // the surround
	gocv.Rectangle(&img, textBox.Inset(-pad), color.RGBA{235, 235, 235, 0}, -1) // the plate
	// Frame bars pressed against the characters' tops and bottoms.
	bar := max(2, size.Y/10)
	gocv.Rectangle(&img, image.Rect(textBox.Min.X-pad, textBox.Min.Y-bar, textBox.Max.X+pad, textBox.Min.Y+1), color.RGBA{20, 20, 20, 0}, -1)
	gocv.Rectangle(&img, image.Rect(textBox.Min.X-pad, textBox.Max.Y-1, textBox.Max.X+pad, textBox.Max.Y+bar), color.RGBA{20, 20, 20, 0}, -1)
	gocv.PutText(&img, text, org, gocv.FontHersheyDuplex, scale, color.RGBA{20, 20, 20, 0}, int(math.Max(2, scale*2)))
	return img, textBox
}

// halfOf is img at half size, as the proposer hands it to the glyph finder;
// the test's cleanup closes it.
func halfOf(t *testing.T, img gocv.Mat) gocv.Mat {
	half := gocv.NewMat()
	t.Cleanup(func() { half.Close() })
	gocv.Resize(img, &half, image.Pt(img.Cols()/2, img.Rows()/2), 0, 0, gocv.InterpolationArea)
	return half
}

func TestGlyphFinderFindsFramedPlatesAtEverySize(t *testing.T) {
	g := newGlyphFinder([]float64{1, 0.5, 0.25})
	defer g.Close()
	for _, scale := range []float64{0.6, 1.2, 2.5, 4.5} {
		t.Run(fmt.Sprintf("scale %.1f", scale), func(t *testing.T) {
			img, want := framedPlate(t, "7ABC123", scale)
			defer img.Close()
			best, bestRow := 0.0, charRow{}
			for _, row := range g.rows(img, halfOf(t, img)) {
				if v := IoU(row.bounds(), want); v > best {
					best, bestRow = v, row
				}
			}
			if best < 0.6 || len(bestRow.chars) < 6 {
				t.Fatalf("best row over the %v text has IoU %.2f and %d characters, want >= 0.6 and >= 6", want, best, len(bestRow.chars))
			}
		})
	}
}

func TestGlyphFinderIgnoresFlatFrames(t *testing.T) {
	g := newGlyphFinder([]float64{1, 0.5, 0.25})
	defer g.Close()
	img := gocv.NewMatWithSizeFromScalar(gocv.NewScalar(90, 90, 90, 0), 720, 1280, gocv.MatTypeCV8UC1)
	defer img.Close()
	// Stripes like a grille: long bars, no characters.
	for y := 100; y < 600; y += 14 {
		gocv.Rectangle(&img, image.Rect(100, y, 1100, y+5), color.RGBA{10, 10, 10, 0}, -1)
	}
	if rows := g.rows(img, halfOf(t, img)); len(rows) != 0 {
		t.Fatalf("found %d character rows in a grille, want none (first %v)", len(rows), rows[0].bounds())
	}
}

func TestExtends(t *testing.T) {
	read := func(plate string, conf float64) PlateRead { return PlateRead{Plate: plate, Confidence: conf} }
	for _, tc := range []struct {
		name        string
		long, short PlateRead
		want        bool
	}{
		{"lost first character", read("KPT4417", 0.5), read("PT4417", 0.9), true},
		{"lost last character", read("HXJ3R8", 0.3), read("HXJ3R", 0.8), true},
		{"far less sure", read("KPT4417", 0.1), read("PT4417", 0.9), false},
		{"same length", read("TQ5MGW", 0.9), read("TQ5M6W", 0.8), false},
		{"different characters", read("7ABC124", 0.9), read("ABC123", 0.9), false},
		{"shorter", read("ABC12", 0.9), read("ABC123", 0.5), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := extends(tc.long.Plate, tc.long.Confidence, tc.short.Plate, tc.short.Confidence); got != tc.want {
				t.Errorf("extends(%s %.1f, %s %.1f) = %v, want %v", tc.long.Plate, tc.long.Confidence, tc.short.Plate, tc.short.Confidence, got, tc.want)
			}
		})
	}
}

func TestSuppressOverlapsKeepsTheLongerRead(t *testing.T) {
	quad := func(x int) [4]image.Point {
		return [4]image.Point{{x, 100}, {x + 100, 100}, {x + 100, 150}, {x, 150}}
	}
	reads := []PlateRead{
		{Plate: "PT4417", Confidence: 0.9, Quad: quad(10), Crop: gocv.NewMat()},
		{Plate: "KPT4417", Confidence: 0.6, Quad: quad(0), Crop: gocv.NewMat()},
		{Plate: "8ABC123", Confidence: 0.7, Quad: quad(500), Crop: gocv.NewMat()},
	}
	if got := keptPlates(t, reads); got != "[KPT4417 8ABC123]" {
		t.Fatalf("kept %v, want [KPT4417 8ABC123]", got)
	}
}

// keptPlates is what suppressOverlaps keeps of reads, as "[PLATE ...]".
func keptPlates(t *testing.T, reads []PlateRead) string {
	kept := suppressOverlaps(reads)
	t.Cleanup(func() { closeReads(kept) })
	var got []string
	for _, k := range kept {
		got = append(got, k.Plate)
	}
	return fmt.Sprint(got)
}

func TestSuppressOverlapsKeepsTheRegistrationOverOtherLettering(t *testing.T) {
	rect := func(x0, y0, x1, y1 int) [4]image.Point {
		return [4]image.Point{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}
	}
	reads := []PlateRead{
		// The state name across the top of the plate, read surer than the number.
		{Plate: "WYORK", Confidence: 0.95, Quad: rect(130, 90, 250, 125), Crop: gocv.NewMat()},
		{Plate: "8ABC123", Confidence: 0.7, Quad: rect(100, 100, 300, 200), Crop: gocv.NewMat()},
		// A plate beside it, touching: neither inside the other.
		{Plate: "5XYZ987", Confidence: 0.8, Quad: rect(300, 100, 500, 200), Crop: gocv.NewMat()},
	}
	if got := keptPlates(t, reads); got != "[8ABC123 5XYZ987]" {
		t.Fatalf("kept %v, want [8ABC123 5XYZ987]", got)
	}
}

func TestQuadGeometry(t *testing.T) {
	q := quadf{{100, 50}, {300, 70}, {300, 170}, {100, 150}}
	w := q.widened(1.5)
	if want := (quadf{{50, 45}, {350, 75}, {350, 175}, {50, 145}}); w != want {
		t.Errorf("widened(1.5) = %v, want %v", w, want)
	}
	o := q.outline()
	for i := range o {
		// The outline lies inside the quad, by the set shares of its size.
		dx, dy := o[i][0]-200, o[i][1]-110
		qx, qy := q[i][0]-200, q[i][1]-110
		if math.Abs(dx-qx*outlineW) > 1e-9 || math.Abs(dy-qy*outlineH) > 1e-9 {
			t.Errorf("outline corner %d = %v from quad corner %v", i, o[i], q[i])
		}
	}
}

func TestMayBeShort(t *testing.T) {
	r := &Reader{opt: Options{}.withDefaults()}
	for _, tc := range []struct {
		plate string
		conf  float64
		want  bool
	}{
		{"AB", 0.5, true},
		{"GNW4518", 1.0, true}, // an eight-character plate missing its first character
		{"DGNW4518", 1.0, false},
		{"ABC12", 0.1, false}, // too unsure to be worth a second look
		{"A", 0.9, false},
	} {
		if got := r.mayBeShort(reading{plate: tc.plate, confidence: tc.conf}); got != tc.want {
			t.Errorf("mayBeShort(%s, %.1f) = %v, want %v", tc.plate, tc.conf, got, tc.want)
		}
	}
}
