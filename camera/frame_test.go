package camera

import (
	"context"
	"testing"

	"patrol-alpr/alpr"
)

// TestFramesReuseTheirImages: a camera reads its next frames into the images of frames
// closed, rather than allocating 2.7 MB of C memory a 720p frame.
func TestFramesReuseTheirImages(t *testing.T) {
	cam := Start(context.Background(), alpr.Cam1, newTestSynthetic(t, 3), Options{})
	defer cam.Close()
	seen := map[uintptr]bool{}
	reused := 0
	for range 30 {
		f, err := cam.Next(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if p := uintptr(f.Img.Ptr()); seen[p] {
			reused++
		} else {
			seen[p] = true
		}
		f.Close()
	}
	// Two images (the slot's and the one being read into) would do; the pool keeps five.
	if len(seen) > 5 || reused < 25 {
		t.Errorf("30 frames in %d images (%d reused), want at most 5 images", len(seen), reused)
	}
}

func TestMatPool(t *testing.T) {
	p := newMatPool(1)
	a, b := p.get(), p.get()
	p.put(a)
	p.put(b) // the pool is full: b is freed
	if got := p.get(); got.Ptr() != a.Ptr() {
		t.Error("get did not hand back the image put")
	}
	c := p.get() // the pool is empty: a new image
	if c.Ptr() == a.Ptr() {
		t.Error("one image handed out twice")
	}
	p.put(c)
	p.close()
	if len(p.free) != 0 || !p.closed {
		t.Fatalf("close kept %d images", len(p.free))
	}
	p.put(a) // given back after close: freed, not kept
	if len(p.free) != 0 {
		t.Error("an image given back after close was kept")
	}
}
