package camera

import (
	"time"

	"gocv.io/x/gocv"

	"patrol-alpr/alpr"
)

// Frame is one picture from a camera. Img is BGR and owned by whoever holds
// the Frame: they must Close it.
type Frame struct {
	Camera alpr.CameraID
	Seq    uint64    // counts frames read from this camera, from 1; gaps are dropped frames
	At     time.Time // capture time, from the Camera's clock
	Img    gocv.Mat
}

// Close frees the frame's image.
func (f *Frame) Close() error {
	return f.Img.Close()
}
