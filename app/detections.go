package app

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"patrol-alpr/alpr"
)

// recentDetections is how many plates the strip keeps; about one screen width.
const recentDetections = 8

// detectionStrip is the row of recent reads under the camera panes, newest first.
type detectionStrip struct {
	row   *fyne.Container
	cards []fyne.CanvasObject
	empty *widget.Label
}

func newDetectionStrip() *detectionStrip {
	s := &detectionStrip{empty: widget.NewLabel("No plates read yet this shift.")}
	s.empty.Importance = widget.LowImportance
	s.row = container.NewHBox(s.empty)
	return s
}

// add puts a detection at the front; crop is its decoded plate image or nil.
func (s *detectionStrip) add(d alpr.Detection, crop image.Image) {
	card := detectionCard(d, crop)
	s.cards = append([]fyne.CanvasObject{card}, s.cards...)
	if len(s.cards) > recentDetections {
		s.cards = s.cards[:recentDetections]
	}
	s.row.Objects = s.cards
	s.row.Refresh()
}

// detectionCard shows one read: the plate crop, the plate as read (amber and marked "?"
// when the read is doubtful), the state the reader named, the camera and time.
func detectionCard(d alpr.Detection, crop image.Image) fyne.CanvasObject {
	pic := fyne.CanvasObject(newThemedRect(theme.ColorNameInputBackground, 0))
	if crop != nil {
		img := canvas.NewImageFromImage(crop)
		img.FillMode = canvas.ImageFillContain
		img.ScaleMode = canvas.ImageScaleFastest
		pic = img
	}
	picBox := container.New(layout.NewGridWrapLayout(fyne.NewSize(108, 40)), pic)
	text, colour := orDash(d.Plate), theme.ColorNameForeground
	if d.Doubtful() { // the reader hesitated: amber, with a mark no plate prints
		text, colour = text+"?", theme.ColorNameWarning
	}
	plate := newThemedText(text, colour, 18, fyne.TextStyle{Bold: true, Monospace: true}).align(fyne.TextAlignCenter)
	meta := newThemedText(cardMeta(d), theme.ColorNamePlaceHolder, theme.CaptionTextSize(), fyne.TextStyle{}).align(fyne.TextAlignCenter)
	bg := newThemedRect(theme.ColorNameButton, 6)
	return container.NewStack(bg, container.NewPadded(container.NewVBox(picBox, plate, meta)))
}

// doubtLabel is how a doubtful read is named wherever it is shown: "Doubtful read (62 % sure)".
func doubtLabel(d alpr.Detection) string {
	return fmt.Sprintf("Doubtful read (%.0f %% sure)", 100*d.Confidence)
}

// cardMeta is a detection card's small line: the state the reader named, if it named
// one, the camera and the time ("CA  Cam-1  20:06:17").
func cardMeta(d alpr.Detection) string {
	s := string(d.Camera) + "  " + d.SeenAt.Format("15:04:05")
	if d.State != "" {
		s = d.State + "  " + s
	}
	return s
}

// decodeJPEG decodes an image the store or engine encoded; nil when there is none or it
// is damaged, because a missing picture must not stop an alert.
func decodeJPEG(b []byte) image.Image {
	if len(b) == 0 {
		return nil
	}
	img, err := jpeg.Decode(bytes.NewReader(b))
	if err != nil {
		return nil
	}
	return img
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func clock(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Format("Jan 2 15:04:05")
}
