package synth

import (
	"image"
	"image/color"
	"image/draw"
	"time"

	"patrol-alpr/alpr"
)

// ClockZone is where a scene with a clock prints it: a strip along the top left of the
// frame, as dash and traffic cameras burn in their date and time. An ignore zone over it
// keeps the reader from taking the changing digits for plates.
func ClockZone() alpr.Zone { return alpr.Zone{X0: 0, Y0: 0, X1: 0.45, Y1: 0.07} }

// clockLayout is the clock text's box inside ClockZone, in fractions of the frame.
var clockLayout = struct{ x0, y0, x1, y1 float64 }{0.012, 0.016, 0.42, 0.05}

// clockFace is the printed clock of a scene: the text as it last changed, drawn once onto
// a transparent layer that every frame of the same second lays over the picture.
// Rasterising the text (an outline and a fill, each a font face and masks) every frame
// was 1.6 MB of garbage a frame, 24 MB a second at 15 frames, for a picture that changes
// once a second.
type clockFace struct {
	text   string
	layer  *image.RGBA // premultiplied: the text and its outline over transparent pixels
	paints int         // how many times the text was rasterised, for tests
}

// drawClock burns the date and time at into dst's top left: white digits on a dark
// outline, the way camera overlays print them.
func (c *clockFace) drawClock(dst *image.RGBA, f *Font, size image.Point, at time.Time) {
	text := at.Format("2006-01-02 15:04:05")
	if c.layer == nil || text != c.text {
		c.paint(f, size, text)
	}
	draw.Draw(dst, c.layer.Rect, c.layer, c.layer.Rect.Min, draw.Over)
}

// paint rasterises text onto the layer, in frame coordinates: Porter-Duff over is
// associative, so the layer laid over a frame gives the picture printing onto it would.
func (c *clockFace) paint(f *Font, size image.Point, text string) {
	room := clockBox(size).Inset(-1) // the outline is the text moved a pixel each way
	if c.layer == nil || c.layer.Rect != room {
		c.layer = image.NewRGBA(room)
	} else {
		clear(c.layer.Pix)
	}
	printClock(c.layer, f, size, text)
	c.text = text
	c.paints++
}

// clockBox is where the clock's text goes in a frame of the given size.
func clockBox(size image.Point) image.Rectangle {
	w, h := float64(size.X), float64(size.Y)
	return image.Rect(int(clockLayout.x0*w), int(clockLayout.y0*h), int(clockLayout.x1*w), int(clockLayout.y1*h))
}

// printClock draws text where a frame of the given size shows its clock.
func printClock(dst *image.RGBA, f *Font, size image.Point, text string) {
	box := clockBox(size)
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
