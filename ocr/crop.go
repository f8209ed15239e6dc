package ocr

import (
	"errors"
	"fmt"
	"image"

	"gocv.io/x/gocv"
)

// ReadCrop reads an image that is one plate edge to edge (a labelled plate crop): the
// recognizer reads it whole through the margin the localiser's crops keep round a plate,
// and the state classifier names its state. Nothing is localised, so the read's outline is
// the image's.
func (r *Reader) ReadCrop(crop gocv.Mat) (PlateRead, error) {
	if crop.Empty() || crop.Cols() < 16 || crop.Rows() < 8 {
		return PlateRead{}, fmt.Errorf("read plate crop: %w", ErrEmptyFrame)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.rec == nil {
		return PlateRead{}, errors.New("read plate crop: reader is closed")
	}
	switch crop.Type() {
	case gocv.MatTypeCV8UC3:
		gocv.CvtColor(crop, &r.grey, gocv.ColorBGRToGray)
	case gocv.MatTypeCV8UC1:
		crop.CopyTo(&r.grey)
	default:
		return PlateRead{}, fmt.Errorf("read plate crop: pixel type %v, want 8-bit BGR or grey: %w", crop.Type(), ErrEmptyFrame)
	}
	r.scale = 1
	q := bandQuad(image.Rect(0, 0, crop.Cols(), crop.Rows()))
	rds, err := r.recognise([]quadf{q})
	if err != nil {
		return PlateRead{}, fmt.Errorf("read plate crop: %w", err)
	}
	rd := rds[0].withLayouts(r.layouts, 1, r.opt.MaxChars, r.opt.Alternates)
	pr, err := r.plateRead(crop, q, q, rd, 1)
	if err != nil {
		return PlateRead{}, fmt.Errorf("read plate crop: %w", err)
	}
	rds[0].beam = rd.beam // found once, weighed again in nameStates
	pr.network = &rds[0]
	reads := []PlateRead{pr}
	if err := r.nameStates(reads, 1); err != nil {
		pr.Crop.Close()
		return PlateRead{}, fmt.Errorf("read plate crop: %w", err)
	}
	return reads[0], nil
}
