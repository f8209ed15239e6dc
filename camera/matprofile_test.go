//go:build matprofile

package camera

import (
	"bytes"
	"path/filepath"
	"testing"

	"gocv.io/x/gocv"
)

// Run with: go test -tags matprofile -run MatLeak ./camera
// Every Mat a camera makes is freed by Close or by the frame's taker.
func TestCameraMatLeak(t *testing.T) {
	dir := t.TempDir()
	video := filepath.Join(dir, "drive.avi")
	writeVideo(t, video, 4)
	before := gocv.MatProfile.Count()
	for _, src := range []Source{NewFile(video), newTestSynthetic(t, 2), &fakeSource{}} {
		runCamera(t, src, Options{}, 20)
	}
	if after := gocv.MatProfile.Count(); after != before {
		var b bytes.Buffer
		gocv.MatProfile.WriteTo(&b, 1)
		t.Errorf("%d Mats still allocated after Close (was %d):\n%s", after, before, b.String())
	}
}
