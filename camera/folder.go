package camera

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"gocv.io/x/gocv"
)

// Folder is a Source that shows the images of a directory in name order,
// over and over: stills from the field stand in for a camera.
type Folder struct {
	dir   string
	files []string
	next  int
}

// imageExts are the still formats OpenCV decodes on Debian.
var imageExts = []string{".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp"}

// NewFolder reads the images in dir.
func NewFolder(dir string) *Folder { return &Folder{dir: dir} }

// Open lists the folder; it fails when there are no images in it.
func (f *Folder) Open(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("open folder %s: %w", f.dir, err)
	}
	entries, err := os.ReadDir(f.dir)
	if err != nil {
		return fmt.Errorf("open folder: %w", err)
	}
	f.files, f.next = f.files[:0], 0
	for _, e := range entries {
		if !e.IsDir() && slices.Contains(imageExts, strings.ToLower(filepath.Ext(e.Name()))) {
			f.files = append(f.files, filepath.Join(f.dir, e.Name()))
		}
	}
	if len(f.files) == 0 {
		return fmt.Errorf("open folder %s: %w (no %s files)", f.dir, ErrNoFrames, strings.Join(imageExts, " "))
	}
	return nil
}

// Read decodes the next image into dst. A file that will not decode is
// reported with ErrBadFrame and skipped, so one bad photo does not stop the feed.
func (f *Folder) Read(dst *gocv.Mat) error {
	if len(f.files) == 0 {
		return fmt.Errorf("read folder %s: %w", f.dir, ErrNotOpen)
	}
	path := f.files[f.next]
	f.next = (f.next + 1) % len(f.files)
	img := gocv.IMRead(path, gocv.IMReadColor)
	defer img.Close()
	if img.Empty() {
		return fmt.Errorf("read %s: %w: not a readable image", path, ErrBadFrame)
	}
	img.CopyTo(dst)
	return nil
}

// Close forgets the listing.
func (f *Folder) Close() error {
	f.files = f.files[:0]
	return nil
}
