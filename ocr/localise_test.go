package ocr

import (
	"image"
	"path/filepath"
	"testing"

	"gocv.io/x/gocv"
)

// TestLocaliseDev measures localisation alone on the benchmark photos: the
// share of labelled plates among the candidates handed to the recognizer
// (box IoU >= 0.5), whatever the recognizer then makes of them.
func TestLocaliseDev(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("reads 113 photos; run without -short and -race")
	}
	dir := benchDir(t)
	labels, err := LoadLabels(dir)
	if err != nil {
		t.Fatal(err)
	}
	r := openTestReader(t)
	var hit, cands int
	for _, l := range labels {
		img := gocv.IMRead(filepath.Join(dir, l.File), gocv.IMReadGrayScale)
		if img.Empty() {
			t.Fatalf("cannot read %s", l.File)
		}
		scale := 1.0
		if side := max(img.Cols(), img.Rows()); side > r.opt.MaxWorkSide {
			scale = float64(side) / float64(r.opt.MaxWorkSide)
			gocv.Resize(img, &r.grey, imagePt(float64(img.Cols())/scale, float64(img.Rows())/scale), 0, 0, gocv.InterpolationArea)
		} else {
			img.CopyTo(&r.grey)
		}
		img.Close()
		cs := r.localise()
		cands += len(cs)
		best := 0.0
		var bestBox image.Rectangle
		for _, c := range cs {
			if v := IoU(bounds(c.quad.outline().scaled(scale)), l.Box); v > best {
				best, bestBox = v, bounds(c.quad.outline().scaled(scale))
			}
		}
		if best >= 0.5 {
			hit++
		} else {
			t.Logf("not localised: %s (best IoU %.2f of %d candidates: %v for %v)", l.File, best, len(cs), bestBox, l.Box)
		}
	}
	recall := float64(hit) / float64(len(labels))
	t.Logf("localisation recall %.3f (%d/%d), %.1f candidates/photo", recall, hit, len(labels), float64(cands)/float64(len(labels)))
	if recall < 0.85 {
		t.Errorf("localisation recall %.2f", recall)
	}
}

// TestBandCandidate checks when a proposal band is also read as a whole
// plate: shaped like one, with only a weak row of characters in it.
func TestBandCandidate(t *testing.T) {
	row := func(n int) charRow {
		r := charRow{score: float64(n)}
		for i := range n {
			r.chars = append(r.chars, charBox{x: float64(10 + 12*i), y: 10, w: 8, h: 18})
		}
		return r
	}
	plate := image.Rect(100, 200, 220, 260) // 2:1
	tests := []struct {
		name string
		band image.Rectangle
		rows []charRow
		want bool
	}{
		{"plate-shaped band, four characters found", plate, []charRow{row(4)}, true},
		{"plate-shaped band, best row weak among others", plate, []charRow{row(3), row(4)}, true},
		{"plate-shaped band, a tidy row of six", plate, []charRow{row(6)}, false},
		{"plate-shaped band, a weak row beside a tidy one", plate, []charRow{row(3), row(5)}, false},
		{"plate-shaped band, no characters at all", plate, nil, false},
		{"turned plate, 1.6:1", image.Rect(0, 0, 96, 60), []charRow{row(4)}, true},
		{"band of characters alone, 4:1", image.Rect(0, 0, 160, 40), []charRow{row(4)}, false},
		{"square light", image.Rect(0, 0, 60, 60), []charRow{row(4)}, false},
		{"empty band", image.Rect(5, 5, 5, 5), []charRow{row(4)}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, ok := bandCandidate(tt.band, tt.rows)
			if ok != tt.want {
				t.Fatalf("band candidate %v, want %v", ok, tt.want)
			}
			if !ok {
				return
			}
			if c.score >= bestScore(tt.rows) {
				t.Errorf("band scores %.1f, not below its best row's %.1f", c.score, bestScore(tt.rows))
			}
			// The reported outline is the band itself; the crop keeps a margin round it.
			if got := bounds(c.quad.outline().scaled(1)); IoU(got, tt.band) < 0.95 {
				t.Errorf("outline %v, want the band %v", got, tt.band)
			}
			if crop := bounds(c.quad.scaled(1)); !tt.band.In(crop) || crop.Eq(tt.band) {
				t.Errorf("crop %v does not keep a margin round the band %v", crop, tt.band)
			}
		})
	}
}
