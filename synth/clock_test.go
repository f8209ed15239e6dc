package synth

import (
	"image"
	"testing"
	"time"
)

// TestClockIsRasterisedOnceASecond films a clocked scene at 15 frames a second for three
// seconds: the text is rasterised once for each second it shows, not for every frame, and
// each frame is the picture the text drawn straight onto it would give, to 3 units of
// a channel in 255 (the layer is 8-bit premultiplied, so over in two steps rounds twice).
func TestClockIsRasterisedOnceASecond(t *testing.T) {
	start := time.Date(2026, 11, 28, 13, 59, 58, 0, time.UTC)
	clocked, err := NewScene(SceneOptions{Seed: 4, Clock: start})
	if err != nil {
		t.Fatal(err)
	}
	plain, err := NewScene(SceneOptions{Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	got, want := image.NewRGBA(clocked.Bounds()), image.NewRGBA(plain.Bounds())
	size := clocked.Bounds().Size()
	for n := range 45 {
		at := time.Duration(n) * time.Second / 15
		if _, err := clocked.Render(at, got); err != nil {
			t.Fatal(err)
		}
		if _, err := plain.Render(at, want); err != nil {
			t.Fatal(err)
		}
		printClock(want, builtinFonts()[4], size, start.Add(at).Format("2006-01-02 15:04:05"))
		if d, at := maxDiff(got, want); d > 3 {
			t.Fatalf("frame %d differs from the text drawn onto it by %d at %v", n, d, at)
		}
	}
	if clocked.face.paints != 3 {
		t.Errorf("the clock's text was rasterised %d times over 45 frames of 3 seconds, want 3", clocked.face.paints)
	}
}

// maxDiff is the largest difference of a colour channel between a and b, and where.
func maxDiff(a, b *image.RGBA) (int, image.Point) {
	worst, where := 0, image.Point{}
	for i := range a.Pix {
		d := int(a.Pix[i]) - int(b.Pix[i])
		d = max(d, -d)
		if d > worst {
			worst = d
			px := i / 4
			where = image.Pt(px%a.Rect.Dx(), px/a.Rect.Dx())
		}
	}
	return worst, where
}

// BenchmarkRenderClockedScene is a classroom Cam-2 frame: the road with its clock. Run
// with -benchmem: the bytes a frame are the collector's work at 15 frames a second.
func BenchmarkRenderClockedScene(b *testing.B) {
	sc, err := NewScene(SceneOptions{Seed: 4, Clock: time.Date(2026, 11, 28, 13, 59, 58, 0, time.UTC)})
	if err != nil {
		b.Fatal(err)
	}
	img := image.NewRGBA(sc.Bounds())
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		if _, err := sc.Render(time.Duration(n)*time.Second/15, img); err != nil {
			b.Fatal(err)
		}
		n++
	}
}
