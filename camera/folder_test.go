package camera

import (
	"context"
	"errors"
	"fmt"
	"image"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gocv.io/x/gocv"

	"patrol-alpr/synth"
)

// writeStills writes n synthetic plate photos (alternating PNG and JPEG) into
// dir and returns their sizes in name order.
func writeStills(t *testing.T, dir string, n int) []image.Point {
	t.Helper()
	var sizes []image.Point
	for i := range n {
		s, err := synth.RandomSample(rand.New(rand.NewPCG(uint64(i), 9)))
		if err != nil {
			t.Fatal(err)
		}
		m, err := gocv.ImageToMatRGB(s.Image)
		if err != nil {
			t.Fatal(err)
		}
		ext := []string{".png", ".jpg"}[i%2]
		if !gocv.IMWrite(filepath.Join(dir, fmt.Sprintf("still%02d%s", i, ext)), m) {
			t.Fatalf("write still %d", i)
		}
		m.Close()
		sizes = append(sizes, s.Image.Bounds().Size())
	}
	return sizes
}

func TestFolderCyclesAndSkipsBadImages(t *testing.T) {
	dir := t.TempDir()
	sizes := writeStills(t, dir, 3)
	// A truncated JPEG between the good ones, and a file that is not an image.
	if err := os.WriteFile(filepath.Join(dir, "still01b.jpg"), []byte("\xff\xd8\xff\xe0 truncated"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("not a picture"), 0o644); err != nil {
		t.Fatal(err)
	}
	src := NewFolder(dir)
	if err := src.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	img := gocv.NewMat()
	defer img.Close()
	// Order: still00, still01, still01b (bad), still02, then round again.
	want := []int{0, 1, -1, 2, 0, 1, -1}
	for i, w := range want {
		err := src.Read(&img)
		if w < 0 {
			if !errors.Is(err, ErrBadFrame) || !strings.Contains(err.Error(), "still01b.jpg") {
				t.Errorf("read %d: %v, want ErrBadFrame naming still01b.jpg", i, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("read %d: %v", i, err)
		}
		if got := image.Pt(img.Cols(), img.Rows()); got != sizes[w] {
			t.Errorf("read %d: %v image, want still%02d's %v", i, got, w, sizes[w])
		}
	}
}

func TestFolderOpenErrors(t *testing.T) {
	empty := t.TempDir()
	cases := []struct {
		name string
		dir  string
		want error
	}{
		{"no images", empty, ErrNoFrames},
		{"missing folder", filepath.Join(empty, "gone"), fs.ErrNotExist},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := NewFolder(tc.dir).Open(context.Background()); !errors.Is(err, tc.want) {
				t.Errorf("err %v, want %v", err, tc.want)
			}
		})
	}
}

func mkdir(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
}
