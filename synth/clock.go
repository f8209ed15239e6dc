package synth

import (
	"image"
	"image/color"
	"time"

	"patrol-alpr/alpr"
)

// ClockZone is where a scene with a clock prints it: a strip along the top left of the
// frame, as dash and traffic cameras burn in their date and time. An ignore zone over it
// keeps the reader from taking the changing digits for plates.
func ClockZone() alpr.Zone { return alpr.Zone{X0: 0, Y0: 0, X1: 0.45, Y1: 0.07} }

// clockLayout is the clock text's box inside ClockZone, in fractions of the frame.
var clockLayout = struct{ x0, y0, x1, y1 float64 }{0.012, 0.016, 0.42, 0.05}

// drawClock burns the date and time at into dst's top left: white digits on a dark
// outline, the way camera overlays print them.
func drawClock(dst *image.RGBA, f *Font, size image.Point, at time.Time) {
	w, h := float64(size.X), float64(size.Y)
	box := image.Rect(int(clockLayout.x0*w), int(clockLayout.y0*h), int(clockLayout.x1*w), int(clockLayout.y1*h))
	text := at.Format("2006-01-02 15:04:05")
	// Left-align: drawText centres within the box, so give it a box the text fills.
	dark := color.RGBA{20, 20, 20, 255}
	for _, d := range []image.Point{{-1, 0}, {1, 0}, {0, -1}, {0, 1}} {
		drawTextLeft(dst, f, text, dark, box.Add(d))
	}
	drawTextLeft(dst, f, text, color.RGBA{245, 245, 245, 255}, box)
}

// drawTextLeft paints s at the height of box from its left edge (narrowed to fit) and
// returns the box it painted in.
func drawTextLeft(dst *image.RGBA, f *Font, s string, c color.RGBA, box image.Rectangle) image.Rectangle {
	mask := textMask(f, s, 2.2*float64(box.Dy()))
	wid := mask.Bounds().Dx() * box.Dy() / max(1, mask.Bounds().Dy())
	if wid < box.Dx() {
		box.Max.X = box.Min.X + wid
	}
	drawText(dst, f, s, c, box, 1)
	return box
}
