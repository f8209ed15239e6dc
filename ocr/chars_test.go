package ocr

import (
	"fmt"
	"testing"
	"time"

	"gocv.io/x/gocv"

	"patrol-alpr/synth"
)

// TestLightThresholdInvertsDark checks what the row finder relies on to
// threshold once a binarisation: OpenCV's adaptive threshold for light
// characters is the one for dark characters inverted, on real frames.
func TestLightThresholdInvertsDark(t *testing.T) {
	frames := renderScene(t, synth.SceneOptions{Seed: 5}, 2, 500*time.Millisecond, 80)
	defer closeFrames(frames)
	grey, dark, light, inverted, diff := gocv.NewMat(), gocv.NewMat(), gocv.NewMat(), gocv.NewMat(), gocv.NewMat()
	for _, m := range []*gocv.Mat{&grey, &dark, &light, &inverted, &diff} {
		defer m.Close()
	}
	for i, f := range frames {
		gocv.CvtColor(f.img, &grey, gocv.ColorBGRToGray)
		for _, b := range defaultBinarisations {
			t.Run(fmt.Sprintf("frame %d block %d offset %d", i, b.block, b.c), func(t *testing.T) {
				gocv.AdaptiveThreshold(grey, &dark, 255, gocv.AdaptiveThresholdMean, gocv.ThresholdBinaryInv, b.block, float32(b.c))
				gocv.AdaptiveThreshold(grey, &light, 255, gocv.AdaptiveThresholdMean, gocv.ThresholdBinary, b.block, float32(b.c))
				gocv.BitwiseNot(dark, &inverted)
				gocv.AbsDiff(light, inverted, &diff)
				if n := gocv.CountNonZero(diff); n != 0 {
					t.Errorf("%d pixels differ", n)
				}
			})
		}
	}
}
