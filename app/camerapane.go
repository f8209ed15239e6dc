package app

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"patrol-alpr/alpr"
)

// frame is one picture for a camera pane, as the engine hands it over.
type frame struct {
	img      image.Image
	boxes    []image.Rectangle
	lastRead string
}

// cameraPane shows one camera's live picture with the plates it is reading boxed, and
// the last plate read underneath in large type.
//
// Frames arrive from the engine's goroutines and wait in a short queue (paneQueue) until
// a pass of the Fyne thread shows the oldest (see UI.ShowFrame): a pass that comes late
// shows the waiting frame at the next pass instead of dropping it, and a screen that
// falls behind by more than the queue drops the oldest, so it never lags the cameras by
// more than a frame or two.
//
// The pane copies each picture into buffers of its own, one on screen and one per frame
// waiting: put fills one that is neither, so no picture is allocated a frame and the
// engine reuses its own.
type cameraPane struct {
	widget.BaseWidget
	cam   alpr.CameraID
	now   func() time.Time
	scale func() float32 // the window's pixels per Fyne unit

	mu       sync.Mutex
	queue    []frame                    // frames waiting for a pass, oldest first
	bufs     [paneQueue + 1]*image.RGBA // the pictures: on screen and waiting
	onScreen *image.RGBA                // the buffer apply last showed; put never fills it
	shownN   atomic.Uint64              // frames put on screen since the pane was made, for PaneFrames
	droppedN atomic.Uint64              // frames replaced before a pass showed them
	room     atomic.Uint64              // the picture's room in pixels, width<<32 | height; 0 until laid out

	// Owned by the Fyne thread.
	r        *paneRenderer // nil until the pane is first drawn
	shown    frame
	message  string // shown instead of the picture: why there is none
	fps      float64
	fpsSince time.Time
	fpsCount int
}

// paneQueue is how many frames a pane keeps waiting for the screen. A camera's frames
// come unevenly and the passes that show them at their own pace; a pass late by a
// frame or two (the Fyne thread busy painting, or the whole computer busy) then shows
// the frames waiting one a pass, the passes coming faster than the cameras' frames,
// instead of dropping them. Measured with scripts/window-load: two frames dropped about one frame
// in thirty; three, none in a minute.
const paneQueue = 3

func newCameraPane(cam alpr.CameraID, now func() time.Time, scale func() float32) *cameraPane {
	p := &cameraPane{cam: cam, now: now, scale: scale, message: "Cameras off", queue: make([]frame, 0, paneQueue)}
	p.ExtendBaseWidget(p)
	return p
}

// put keeps a copy of f for the next pass, dropping the oldest frame waiting when the
// queue is full; any goroutine. The caller may reuse f.img once put returns.
func (p *cameraPane) put(f frame) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.queue) == paneQueue {
		p.queue = append(p.queue[:0], p.queue[1:]...)
		p.droppedN.Add(1)
	}
	if f.img != nil {
		b := p.freeBuffer()
		p.bufs[b] = copyPicture(p.bufs[b], f.img)
		f.img = p.bufs[b]
	}
	p.queue = append(p.queue, f)
}

// freeBuffer is the index of a buffer neither on screen nor holding a frame waiting;
// there is one, as put keeps the queue a frame shorter than there are buffers when it
// calls this. Called under mu.
func (p *cameraPane) freeBuffer() int {
	for i, b := range p.bufs {
		if b == nil || (b != p.onScreen && !p.waiting(b)) {
			return i
		}
	}
	panic("camera pane: every picture buffer in use") // put made room first
}

// waiting reports whether b holds a frame in the queue. Called under mu.
func (p *cameraPane) waiting(b *image.RGBA) bool {
	for _, f := range p.queue {
		if f.img == image.Image(b) {
			return true
		}
	}
	return false
}

// copyPicture copies src into dst, reusing dst when it has src's bounds (the plate boxes
// are in the picture's coordinates, so the copy keeps them).
func copyPicture(dst *image.RGBA, src image.Image) *image.RGBA {
	b := src.Bounds()
	if dst == nil || dst.Rect != b {
		dst = image.NewRGBA(b)
	}
	s, ok := src.(*image.RGBA)
	if !ok {
		draw.Draw(dst, b, src, b.Min, draw.Src)
		return dst
	}
	row := 4 * b.Dx()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		i, j := s.PixOffset(b.Min.X, y), dst.PixOffset(b.Min.X, y)
		copy(dst.Pix[j:j+row], s.Pix[i:i+row])
	}
	return dst
}

// apply shows the oldest frame waiting, if any, and reports whether more are waiting;
// it runs on the Fyne thread.
func (p *cameraPane) apply() (more bool) {
	p.mu.Lock()
	if len(p.queue) == 0 {
		p.mu.Unlock()
		return false
	}
	f := p.queue[0]
	p.queue = append(p.queue[:0], p.queue[1:]...)
	if img, ok := f.img.(*image.RGBA); ok {
		p.onScreen = img // its buffer is not filled again until another is shown
	}
	more = len(p.queue) > 0
	p.mu.Unlock()
	p.shown = f
	p.shownN.Add(1)
	p.countFrame()
	if p.r != nil && p.message == "" {
		p.r.showFrame() // the fast path: only what a new frame changes
		return more
	}
	p.message = ""
	p.Refresh()
	return more
}

func (p *cameraPane) countFrame() {
	now := p.now()
	if p.fpsSince.IsZero() {
		p.fpsSince = now
	}
	p.fpsCount++
	if d := now.Sub(p.fpsSince); d >= time.Second {
		p.fps = float64(p.fpsCount) / d.Seconds()
		p.fpsSince, p.fpsCount = now, 0
	}
}

// setMessage replaces the picture with a sentence saying why there is none.
func (p *cameraPane) setMessage(msg string) {
	p.message = msg
	p.shown = frame{lastRead: p.shown.lastRead}
	p.Refresh()
}

// CreateRenderer implements fyne.Widget.
func (p *cameraPane) CreateRenderer() fyne.WidgetRenderer {
	r := &paneRenderer{
		p:       p,
		bg:      canvas.NewRectangle(color.Black),
		img:     canvas.NewImageFromImage(nil),
		title:   canvas.NewText(string(p.cam), colorWhite),
		rate:    canvas.NewText("", colorWhite),
		readBg:  canvas.NewRectangle(theme.Color(theme.ColorNameButton)),
		read:    canvas.NewText("", theme.Color(theme.ColorNameForeground)),
		caption: canvas.NewText("LAST READ", theme.Color(theme.ColorNamePlaceHolder)),
	}
	r.img.FillMode = canvas.ImageFillStretch // the renderer fits it, so the boxes line up
	r.img.ScaleMode = canvas.ImageScaleFastest
	r.title.TextStyle.Bold = true
	r.title.TextSize = theme.TextSize()
	r.rate.TextSize = theme.CaptionTextSize()
	r.rate.Alignment = fyne.TextAlignTrailing
	r.read.TextStyle = fyne.TextStyle{Bold: true, Monospace: true}
	r.read.TextSize = readTextSize
	r.read.Alignment = fyne.TextAlignCenter
	r.caption.TextSize = theme.CaptionTextSize()
	r.Refresh()
	p.r = r
	return r
}

type paneRenderer struct {
	p       *cameraPane
	bg      *canvas.Rectangle
	img     *canvas.Image
	boxes   []*canvas.Rectangle
	title   *canvas.Text
	rate    *canvas.Text
	message []*canvas.Text // one per wrapped line
	readBg  *canvas.Rectangle
	read    *canvas.Text
	caption *canvas.Text
	size    fyne.Size
}

const readBarHeight = 48

func (r *paneRenderer) Layout(s fyne.Size) {
	r.size = s
	view := fyne.NewSize(s.Width, s.Height-readBarHeight)
	r.p.setRoom(view)
	r.bg.Resize(view)
	r.bg.Move(fyne.NewPos(0, 0))
	pad := theme.Padding()
	r.title.Move(fyne.NewPos(pad*2, pad))
	r.title.Resize(r.title.MinSize())
	r.rate.Resize(fyne.NewSize(view.Width-pad*4, r.rate.MinSize().Height))
	r.rate.Move(fyne.NewPos(pad*2, pad+4))
	r.layoutMessage(view)
	r.readBg.Resize(fyne.NewSize(s.Width, readBarHeight))
	r.readBg.Move(fyne.NewPos(0, view.Height))
	r.caption.Resize(r.caption.MinSize())
	r.caption.Move(fyne.NewPos(pad*2, view.Height+(readBarHeight-r.caption.MinSize().Height)/2))
	// The plate is centred in the bar beside the caption, never over it, however
	// narrow the pane.
	left := min(pad*3+r.caption.MinSize().Width, s.Width/2)
	r.read.Resize(fyne.NewSize(s.Width-left, readBarHeight))
	r.read.Move(fyne.NewPos(left, view.Height))
	r.fitRead()
	r.layoutPicture(view)
}

// readTextSize is the last read's type size, and readTextMin the smallest it shrinks to
// so that a long read with its state ("D6680M2M (PA)") fits a narrow pane.
const (
	readTextSize = 30
	readTextMin  = 16
)

// fitRead sets the last read's type size to the largest that fits its room.
func (r *paneRenderer) fitRead() {
	room := r.read.Size().Width - theme.Padding()
	r.read.TextSize = readTextSize
	for r.read.TextSize > readTextMin && r.read.MinSize().Width > room {
		r.read.TextSize -= 2
	}
}

// setRoom notes the picture's room in pixels for PaneSize; the Fyne thread.
func (p *cameraPane) setRoom(view fyne.Size) {
	scale := float32(1)
	if p.scale != nil {
		scale = p.scale()
	}
	w, h := max(0, int(view.Width*scale)), max(0, int(view.Height*scale))
	p.room.Store(uint64(w)<<32 | uint64(h))
}

// roomPixels is the picture's room in pixels; zero before the pane is laid out. Any goroutine.
func (p *cameraPane) roomPixels() image.Point {
	r := p.room.Load()
	return image.Pt(int(r>>32), int(r&0xffffffff))
}

// layoutPicture fits the picture inside view keeping its aspect, and puts each plate
// box where the plate is in the fitted picture.
func (r *paneRenderer) layoutPicture(view fyne.Size) {
	img := r.p.shown.img
	if img == nil {
		r.img.Hide()
		for _, b := range r.boxes {
			b.Hide()
		}
		return
	}
	ib := img.Bounds()
	scale := min(view.Width/float32(ib.Dx()), view.Height/float32(ib.Dy()))
	w, h := float32(ib.Dx())*scale, float32(ib.Dy())*scale
	off := fyne.NewPos((view.Width-w)/2, (view.Height-h)/2)
	r.img.Move(off)
	r.img.Resize(fyne.NewSize(w, h))
	r.img.Show()
	for i, box := range r.p.shown.boxes {
		box = box.Intersect(ib) // a plate half out of the picture is boxed inside it
		b := r.boxes[i]
		b.Move(fyne.NewPos(off.X+float32(box.Min.X-ib.Min.X)*scale, off.Y+float32(box.Min.Y-ib.Min.Y)*scale))
		b.Resize(fyne.NewSize(float32(box.Dx())*scale, float32(box.Dy())*scale))
		b.Show()
	}
	for _, b := range r.boxes[len(r.p.shown.boxes):] {
		b.Hide()
	}
}

// layoutMessage wraps the pane's message to the width of the view and centres it.
func (r *paneRenderer) layoutMessage(view fyne.Size) {
	size := theme.TextSize()
	lines := wrapWords(r.p.message, view.Width-theme.Padding()*4, func(s string) float32 {
		return fyne.MeasureText(s, size, fyne.TextStyle{}).Width
	})
	for len(r.message) < len(lines) {
		t := canvas.NewText("", colorWhite)
		t.Alignment = fyne.TextAlignCenter
		t.TextSize = size
		r.message = append(r.message, t)
	}
	lineH := fyne.MeasureText("M", size, fyne.TextStyle{}).Height + 2
	top := (view.Height - lineH*float32(len(lines))) / 2
	for i, t := range r.message {
		if i >= len(lines) {
			t.Text = ""
			t.Hide()
			continue
		}
		t.Text = lines[i]
		t.Resize(fyne.NewSize(view.Width, lineH))
		t.Move(fyne.NewPos(0, top+lineH*float32(i)))
		t.Show()
	}
}

// wrapWords breaks s into lines no wider than width; explicit newlines are kept.
func wrapWords(s string, width float32, measure func(string) float32) []string {
	var out []string
	for _, para := range strings.Split(s, "\n") {
		line := ""
		for _, w := range strings.Fields(para) {
			if line != "" && measure(line+" "+w) > width {
				out = append(out, line)
				line = w
				continue
			}
			if line != "" {
				line += " "
			}
			line += w
		}
		if line != "" {
			out = append(out, line)
		}
	}
	return out
}

func (r *paneRenderer) MinSize() fyne.Size { return fyne.NewSize(240, 180+readBarHeight) }

// showFrame puts the newest frame on screen touching only what a frame changes: the
// picture, the boxes and, when they differ, the last read and the frame rate. At 45
// frames a second over three panes this is most of the UI thread's work.
func (r *paneRenderer) showFrame() {
	newBoxes := r.addBoxes()
	r.img.Image = r.p.shown.img
	r.layoutPicture(r.size.SubtractWidthHeight(0, readBarHeight))
	canvas.Refresh(r.img)
	for _, b := range r.boxes {
		canvas.Refresh(b)
	}
	if r.setTexts() || newBoxes {
		r.read.Refresh()
		r.rate.Refresh()
	}
}

// addBoxes makes sure there is a rectangle for every plate box; true if it made one.
func (r *paneRenderer) addBoxes() bool {
	added := false
	for len(r.boxes) < len(r.p.shown.boxes) {
		b := canvas.NewRectangle(color.Transparent)
		b.StrokeColor = colorGreen
		b.StrokeWidth = 3
		r.boxes = append(r.boxes, b)
		added = true
	}
	return added
}

// setTexts updates the last read and the frame rate; true if either changed.
func (r *paneRenderer) setTexts() bool {
	p := r.p
	rate := ""
	if p.message == "" && p.fps > 0 {
		rate = fmt.Sprintf("%.0f fps", p.fps)
	}
	read := p.shown.lastRead
	if read == "" {
		read = "—"
	}
	changed := rate != r.rate.Text || read != r.read.Text
	fit := read != r.read.Text
	r.rate.Text, r.read.Text = rate, read
	if fit {
		r.fitRead()
	}
	return changed
}

func (r *paneRenderer) Refresh() {
	p := r.p
	r.addBoxes()
	r.img.Image = p.shown.img
	r.setTexts()
	r.readBg.FillColor = theme.Color(theme.ColorNameButton)
	r.read.Color = theme.Color(theme.ColorNameForeground)
	r.caption.Color = theme.Color(theme.ColorNamePlaceHolder)
	r.Layout(r.size)
	canvas.Refresh(r.img)
	for _, o := range r.Objects() {
		if o != r.img {
			o.Refresh()
		}
	}
}

func (r *paneRenderer) Objects() []fyne.CanvasObject {
	objs := []fyne.CanvasObject{r.bg, r.img}
	for _, b := range r.boxes {
		objs = append(objs, b)
	}
	objs = append(objs, r.title, r.rate, r.readBg, r.caption, r.read)
	for _, m := range r.message {
		objs = append(objs, m)
	}
	return objs
}

func (r *paneRenderer) Destroy() {}
