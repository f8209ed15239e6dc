package engine

import (
	"image"
	"time"

	"gocv.io/x/gocv"

	"patrol-alpr/alpr"
	"patrol-alpr/ocr"
)

// detection builds the record of one read (policy II.C): plate, alternates, camera, capture
// time, the fix current at that time, the plate crop and the scene.
func (e *Engine) detection(cam alpr.CameraID, rd ocr.PlateRead, at time.Time, sc scene) alpr.Detection {
	d := alpr.Detection{
		ShiftID:    e.shiftID(),
		Camera:     cam,
		SeenAt:     at,
		Plate:      rd.Plate,
		State:      rd.State,
		Confidence: rd.Confidence,
		Alternates: rd.Alternates,
		SceneJPEG:  sc.jpeg,
	}
	if e.Locator != nil {
		d.Fix = e.Locator.FixAt(at)
	}
	if !rd.Crop.Empty() {
		if buf, err := gocv.IMEncode(gocv.JPEGFileExt, rd.Crop); err == nil {
			d.PlateJPEG = append([]byte(nil), buf.GetBytes()...)
			buf.Close()
		}
	}
	if sc.jpeg != nil {
		d.Box = make([]image.Point, len(rd.Quad))
		for i, p := range rd.Quad {
			d.Box[i] = image.Pt(int(float64(p.X)*sc.scale), int(float64(p.Y)*sc.scale))
		}
	}
	return d
}

// encodeScene keeps a frame as the scene image of a detection, scaled to SceneWidth.
func (l *loop) encodeScene(img gocv.Mat) scene {
	w := l.e.SceneWidth
	if w <= 0 {
		w = 960
	}
	s := 1.0
	src := img
	if img.Cols() > w {
		s = float64(w) / float64(img.Cols())
		small := gocv.NewMat()
		defer small.Close()
		gocv.Resize(img, &small, image.Pt(w, int(float64(img.Rows())*s)), 0, 0, gocv.InterpolationArea)
		src = small
	}
	buf, err := gocv.IMEncodeWithParams(gocv.JPEGFileExt, src, []int{gocv.IMWriteJpegQuality, 85})
	if err != nil {
		return scene{}
	}
	defer buf.Close()
	return scene{jpeg: append([]byte(nil), buf.GetBytes()...), scale: s}
}
