package ocr

import (
	"context"
	"fmt"
	"image"

	"gocv.io/x/gocv"
)

// canvasGrey is the level of the canvas a plate crop is pasted into.
const canvasGrey = 128

// PasteInCanvas puts a plate crop in the middle of a plain grey canvas three times its size
// and returns the canvas (the caller closes it) and where the plate lies in it: a photo in
// which the whole reader (localiser, views, phantom filter, state) must find and cut the
// plate itself, as it does on the road, yet whose plate is labelled with its state.
func PasteInCanvas(crop gocv.Mat) (gocv.Mat, image.Rectangle) {
	w, h := crop.Cols(), crop.Rows()
	canvas := gocv.NewMatWithSizeFromScalar(gocv.NewScalar(canvasGrey, canvasGrey, canvasGrey, 0), 3*h, 3*w, crop.Type())
	at := image.Rect(w, h, 2*w, 2*h)
	roi := canvas.Region(at)
	crop.CopyTo(&roi)
	roi.Close()
	return canvas, at
}

// EvaluateInCanvas reads every plate crop listed in dir/labels.csv through the whole reader,
// each pasted into a grey canvas (PasteInCanvas), and scores the read over the pasted plate
// as Evaluate scores a photo's: found, plate, and the state the reader names for the plate it
// cut. A crop read whole (Evaluate) shows the classifier the plate as labelled; this shows it
// the crop the reader cuts, outline errors and all.
func EvaluateInCanvas(ctx context.Context, r PlateReader, dir string) (Report, error) {
	return evaluateEach(ctx, dir, "in canvas", func(crop gocv.Mat, l *Labelled) ([]PlateRead, error) {
		if !l.IsCrop() {
			return nil, fmt.Errorf("%s is a photo, not a plate crop", l.File)
		}
		canvas, at := PasteInCanvas(crop)
		defer canvas.Close()
		l.Box = at
		return r.Read(canvas)
	})
}
