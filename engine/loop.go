package engine

import (
	"context"
	"errors"
	"image"
	"image/color"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"gocv.io/x/gocv"

	"patrol-alpr/alpr"
	"patrol-alpr/camera"
	"patrol-alpr/internal/ctxsleep"
	"patrol-alpr/matcher"
	"patrol-alpr/ocr"
)

// loop is one camera's pipeline.
//
// It runs as two goroutines so the pane stays live when reading is slower than the camera: the
// display side takes every frame, repaints the pane at DisplayFPS, and hands the frame to the
// reading side through a one-frame mailbox that always holds the newest frame; the reading
// side reads, tracks, saves and matches. Each side owns its own fields; only the marks drawn on
// the pane (boxes, lastRead) are shared, under mu.
type loop struct {
	e      *Engine
	feed   Feed
	reader PlateReader
	ignore []alpr.Zone // parts of the view whose reads are dropped

	// reading side
	tracker *ocr.Tracker
	best    map[string]bestScene // per plate read: the scene of its most confident read so far
	early   []early              // passes in progress already saved because a read hit

	readAt atomic.Int64 // when the reader next reads (Unix ns); frames are handed over only shortly before

	// display side
	half gocv.Mat // the frame halved, the first of two steps down to a pane a half its size or less
	pane gocv.Mat // the frame scaled to the pane (BGR)
	rgba gocv.Mat // the same in the screen's RGBA, whose pixels ShowFrame copies
	pace pacer    // how many frames a second the pane is repainted

	// what the reading side last found, drawn over the frames the display side shows
	mu       sync.Mutex
	boxes    []plateBox // in frame pixels
	boxesAt  time.Time  // capture time of the frame they were found in
	lastRead string
}

// boxFresh is how much older than the frame shown its plate boxes may be. The reader
// works on the newest frame while the pane shows every frame, so boxes come a read
// behind; older than this they would trail a moving plate, and are not drawn.
const boxFresh = 300 * time.Millisecond

// scene is a frame kept as the JPEG a detection stores, with the factor from frame to image pixels.
type scene struct {
	jpeg  []byte
	scale float64
}

// bestScene is the scene of the most confident read of one plate in a pass still open: the
// tracker picks the same read (most confident of the winning plate) as the pass's best, so
// only frames that improve on it are encoded, and only these are kept.
type bestScene struct {
	conf  float64
	at    time.Time // capture time of that read's frame
	seen  time.Time // last frame the plate was read in
	scene scene
}

// early is a detection saved as soon as a read hit, before its pass ended, so the alert does
// not wait for the vehicle to leave the picture; the pass's end then adds no second detection.
type early struct {
	plate string
	at    time.Time
}

func (e *Engine) newLoop(f Feed, r PlateReader) *loop {
	return &loop{e: e, feed: f, reader: r, ignore: e.Ignore[f.ID()], tracker: ocr.NewTracker(e.Tracker),
		best: map[string]bestScene{}, half: gocv.NewMat(), pane: gocv.NewMat(), rgba: gocv.NewMat()}
}

func (l *loop) run(ctx context.Context) {
	work := make(chan camera.Frame, 1)
	readDone := make(chan struct{})
	go func() {
		defer close(readDone)
		l.readFrames(ctx, work)
	}()
	defer func() {
		close(work)
		<-readDone
		l.half.Close()
		l.pane.Close()
		l.rgba.Close()
	}()
	for {
		f, err := l.feed.Next(ctx)
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, camera.ErrClosed) {
				return
			}
			continue // the feed's own health says what went wrong
		}
		l.show(f)
		if l.readDue(time.Now()) {
			handOver(work, f)
		} else {
			_ = f.Close() // the reader is resting: a frame waiting for it would be replaced unread
		}
	}
}

// handEarly is how long before the reader's next read the display side starts handing it
// frames: a frame period and a half at 15 frames a second, so one is waiting when it
// wakes. Earlier frames would only be replaced in the mailbox, each a 2.7 MB image held.
const handEarly = 100 * time.Millisecond

// readDue reports whether the reader reads soon enough after now to be handed a frame.
func (l *loop) readDue(now time.Time) bool {
	return now.UnixNano() >= l.readAt.Load()-int64(handEarly)
}

// handOver puts f in the reading side's mailbox, replacing (and closing) a frame still
// waiting there: the reader always gets the newest frame. Only the display side sends.
func handOver(work chan camera.Frame, f camera.Frame) {
	for {
		select {
		case work <- f:
			return
		default:
		}
		select {
		case old := <-work:
			_ = old.Close()
		default:
		}
	}
}

// readFrames is the reading side: it reads the newest frame handed over, at most ReadFPS
// a second, until the mailbox closes. Between reads the display side goes on replacing
// the frame waiting, so the reader always starts on the present.
//
// It runs on a thread of its own at a lower priority (readerPriority), so that when the
// car's cores are busy the reading gives way to the panes and the cameras, not the
// other way round: a read late by a frame loses nothing, a pane that stutters does.
func (l *loop) readFrames(ctx context.Context, work chan camera.Frame) {
	defer l.tracker.Close()
	runtime.LockOSThread() // the priority is the thread's; the goroutine ends with it
	if err := lowerThreadPriority(); err != nil {
		l.e.log().Debug("reader keeps normal priority", "camera", l.feed.ID(), "err", err)
	}
	if err := nameThread(readerThread); err != nil {
		l.e.log().Debug("reader thread not named", "camera", l.feed.ID(), "err", err)
	}
	every := time.Duration(0)
	if fps := l.e.readFPS(); fps > 0 {
		every = time.Duration(float64(time.Second) / fps)
	}
	var next time.Time
	for {
		if !ctxsleep.Sleep(ctx, time.Until(next)) {
			break
		}
		f, ok := <-work
		if !ok {
			return
		}
		next = time.Now().Add(every)
		l.readAt.Store(next.UnixNano())
		if ctx.Err() == nil {
			l.frame(ctx, f)
		}
		_ = f.Close()
	}
	for f := range work { // stopped: free what the display side still hands over
		_ = f.Close()
	}
}

func (l *loop) frame(ctx context.Context, f camera.Frame) {
	reads, err := l.reader.Read(f.Img)
	if err != nil {
		l.e.log().Warn("read plates", "camera", l.feed.ID(), "err", err)
	}
	reads = outside(reads, l.ignore, image.Pt(f.Img.Cols(), f.Img.Rows()))
	defer func() {
		for _, rd := range reads {
			rd.Crop.Close()
		}
	}()
	var encoded *scene // this frame's scene, encoded at most once and only if needed
	sceneOf := func() scene {
		if encoded == nil {
			sc := l.encodeScene(f.Img)
			encoded = &sc
		}
		return *encoded
	}
	for _, rd := range reads {
		b, ok := l.best[rd.Plate]
		if !ok || rd.Confidence > b.conf {
			b = bestScene{conf: rd.Confidence, at: f.At, scene: sceneOf()}
		}
		b.seen = f.At
		l.best[rd.Plate] = b
	}
	l.mark(f.At, reads)
	for _, rd := range reads {
		l.hitEarly(ctx, f.At, rd, sceneOf)
	}
	for _, p := range l.tracker.Add(f.At, reads) {
		l.finish(ctx, p)
		p.Best.Crop.Close()
	}
	l.prune(f.At)
}

// outside keeps the reads whose box centre lies outside every ignored zone of a frame of
// the given size, and closes the crops of the others.
func outside(reads []ocr.PlateRead, zones []alpr.Zone, size image.Point) []ocr.PlateRead {
	if len(zones) == 0 {
		return reads
	}
	kept := reads[:0]
	for _, rd := range reads {
		if inAny(centre(rd.Box()), zones, size) {
			rd.Crop.Close()
			continue
		}
		kept = append(kept, rd)
	}
	return kept
}

func inAny(p image.Point, zones []alpr.Zone, size image.Point) bool {
	for _, z := range zones {
		if p.In(z.In(size)) {
			return true
		}
	}
	return false
}

// plateBox is where a plate was read in a frame, and how fast it was moving across the
// picture then, so the pane can draw the box where the plate has got to since.
type plateBox struct {
	rect   image.Rectangle
	plate  string
	vx, vy float64 // pixels a second
}

// trackFor is how far apart two reads of a plate may be for the move between them to give
// its speed.
const trackFor = time.Second

// mark keeps where this frame's plates were and the last plate read, for the pane. A plate
// also read in the frame before moves at the speed between the two reads.
func (l *loop) mark(at time.Time, reads []ocr.PlateRead) {
	l.mu.Lock()
	defer l.mu.Unlock()
	dt := at.Sub(l.boxesAt).Seconds()
	boxes := make([]plateBox, len(reads))
	for i, rd := range reads {
		b := plateBox{rect: rd.Box(), plate: rd.Plate}
		for _, prev := range l.boxes {
			if dt > 0 && dt <= trackFor.Seconds() && samePass(prev.plate, rd.Plate) {
				d := centre(b.rect).Sub(centre(prev.rect))
				b.vx, b.vy = float64(d.X)/dt, float64(d.Y)/dt
				break
			}
		}
		boxes[i] = b
	}
	l.boxes, l.boxesAt = boxes, at
	if len(reads) > 0 {
		l.lastRead = readText(reads[0])
	}
}

// readText is a read as the pane shows it: the plate, and the state in brackets when
// the reader named one ("7TRN123 (CA)"), so the officer sees what the hit's state check
// will compare (III.D.2).
func readText(rd ocr.PlateRead) string {
	if rd.State == "" {
		return rd.Plate
	}
	return rd.Plate + " (" + rd.State + ")"
}

// hitEarly saves a detection and raises its hits at the first read of a pass that hits a
// hot list: the officer is alerted while the vehicle is still in view.
func (l *loop) hitEarly(ctx context.Context, at time.Time, rd ocr.PlateRead, sceneOf func() scene) {
	ix := l.index()
	if ix == nil {
		return
	}
	for _, x := range l.early {
		if samePass(x.plate, rd.Plate) {
			return
		}
	}
	matches := ix.Match(matcher.Query{Plate: rd.Plate, State: rd.State, Alternates: rd.Alternates, At: at})
	if len(matches) == 0 {
		return
	}
	d, ok := l.save(ctx, rd, at, sceneOf())
	if !ok {
		return
	}
	l.early = append(l.early, early{plate: rd.Plate, at: at})
	l.e.Alerter.Raise(ctx, d, matches, false)
}

// finish turns a finished pass into its detection, unless a hit already saved it.
func (l *loop) finish(ctx context.Context, p ocr.Pass) {
	var sc scene
	if b, ok := l.best[p.Best.Plate]; ok && b.at.Equal(p.BestAt) {
		sc = b.scene
	}
	delete(l.best, p.Best.Plate)
	for i, x := range l.early {
		if samePass(x.plate, p.Best.Plate) && !x.at.Before(p.First) && !x.at.After(p.Last) {
			l.early = append(l.early[:i], l.early[i+1:]...)
			return
		}
	}
	d, ok := l.save(ctx, p.Best, p.BestAt, sc)
	if !ok {
		return
	}
	if ix := l.index(); ix != nil {
		l.e.Alerter.Raise(ctx, d, ix.Match(matcher.Query{Plate: d.Plate, State: d.State, Alternates: d.Alternates, At: p.BestAt}), false)
	}
}

func (l *loop) save(ctx context.Context, rd ocr.PlateRead, at time.Time, sc scene) (alpr.Detection, bool) {
	d := l.e.detection(l.feed.ID(), rd, at, sc)
	if err := l.e.Recorder.SaveDetection(ctx, &d); err != nil {
		l.e.log().Error("save detection", "camera", l.feed.ID(), "plate", d.Plate, "err", err)
		return d, false
	}
	l.e.Screen.AddDetection(d)
	return d, true
}

func (l *loop) index() *matcher.Index {
	if l.e.HotLists == nil {
		return nil
	}
	return l.e.HotLists.Index()
}

// prune forgets scenes and early detections of plates no pass still open can need.
func (l *loop) prune(now time.Time) {
	keep := l.e.Tracker.MaxPass
	if keep <= 0 {
		keep = 30 * time.Second
	}
	for plate, b := range l.best {
		if now.Sub(b.seen) > keep {
			delete(l.best, plate)
		}
	}
	kept := l.early[:0]
	for _, x := range l.early {
		if now.Sub(x.at) <= keep {
			kept = append(kept, x)
		}
	}
	l.early = kept
}

// show repaints the camera's pane at most DisplayFPS times a second, scaled to the pane's
// pixels so the screen draws the picture as it is. A frame costs one resize, one colour
// conversion and the screen's copy, into buffers kept from frame to frame: at 15 frames a
// second over three panes, a new picture a frame was 23 MB a second for the collector.
func (l *loop) show(f camera.Frame) {
	fps := l.e.DisplayFPS
	if fps <= 0 {
		fps = 15
	}
	if !l.pace.due(f.At, fps) {
		return
	}
	frameSize := image.Pt(f.Img.Cols(), f.Img.Rows())
	size := paneFit(frameSize, l.e.Screen.PaneSize(l.feed.ID()), l.e.PaneWidth)
	scale := float64(size.X) / float64(frameSize.X)
	src := f.Img
	if frameSize.X >= 2*size.X && frameSize.Y >= 2*size.Y {
		// INTER_AREA at a scale that is not a whole number (1280 to 339 pixels) is OpenCV's
		// slow general path: 4 ms a frame, a fifth of a core over three panes. Halving
		// first takes its fast path for exactly 2:1, and leaves the slow one a quarter
		// of the pixels; each pane pixel is still the average of the frame's it covers.
		gocv.Resize(f.Img, &l.half, image.Pt(frameSize.X/2, frameSize.Y/2), 0, 0, gocv.InterpolationArea)
		src = l.half
	}
	gocv.Resize(src, &l.pane, size, 0, 0, gocv.InterpolationArea)
	shade(l.pane, l.ignore)
	gocv.CvtColor(l.pane, &l.rgba, gocv.ColorBGRToRGBA)
	pix, err := l.rgba.DataPtrUint8()
	if err != nil {
		return
	}
	// The picture borrows the Mat's pixels: ShowFrame copies them before it returns.
	img := &image.RGBA{Pix: pix, Stride: 4 * size.X, Rect: image.Rectangle{Max: size}}
	l.mu.Lock()
	boxes := paneBoxes(l.boxes, l.boxesAt, f.At, scale)
	last := l.lastRead
	l.mu.Unlock()
	l.e.Screen.ShowFrame(l.feed.ID(), img, boxes, last)
}

// pacer limits a pane's repaints to a rate by a token bucket: a token accrues every period
// of the rate, a repaint spends one, and at most paceBurst are kept. A camera filming at
// the display rate has every frame shown however unevenly its frames arrive, up to a
// period late; a faster camera is thinned to the rate. (A limit on the gap between two
// frames shown dropped a frame whenever one came late and the next on time: a frame in
// fifteen on a busy computer.)
type pacer struct {
	tokens float64
	last   time.Time // the frame the tokens were counted to
}

// paceBurst is how many tokens a pacer keeps: two, so a frame up to a period late is made
// up by the next frame's coming early.
const paceBurst = 2

// due reports whether a frame taken at `at` is shown at fps frames a second, and if so
// spends its token.
func (p *pacer) due(at time.Time, fps float64) bool {
	if p.last.IsZero() {
		p.tokens = paceBurst
	} else if d := at.Sub(p.last); d > 0 {
		p.tokens = min(paceBurst, p.tokens+d.Seconds()*fps)
	}
	if at.After(p.last) {
		p.last = at
	}
	if p.tokens < 1 {
		return false
	}
	p.tokens--
	return true
}

// paneFit is the size a frame is scaled to for a pane with room for a picture of that
// many pixels: the largest that fits keeping the frame's shape, never larger than the
// frame itself; fallbackWidth wide (480 when 0) while the room is not known.
func paneFit(frame, room image.Point, fallbackWidth int) image.Point {
	var scale float64
	if room.X > 0 && room.Y > 0 {
		scale = min(float64(room.X)/float64(frame.X), float64(room.Y)/float64(frame.Y))
	} else {
		if fallbackWidth <= 0 {
			fallbackWidth = 480
		}
		scale = float64(fallbackWidth) / float64(frame.X)
	}
	scale = min(scale, 1)
	return image.Pt(max(1, int(math.Round(float64(frame.X)*scale))), max(1, int(math.Round(float64(frame.Y)*scale))))
}

// shade darkens the ignored zones of a pane and outlines them, so the officer sees which
// part of the picture is not read.
func shade(pane gocv.Mat, zones []alpr.Zone) {
	size := image.Pt(pane.Cols(), pane.Rows())
	for _, z := range zones {
		r := z.In(size).Intersect(image.Rectangle{Max: size})
		if r.Empty() {
			continue
		}
		part := pane.Region(r)
		part.DivideFloat(2)
		part.Close()
		gocv.Rectangle(&pane, r, color.RGBA{160, 160, 160, 0}, 1)
	}
}

// paneBoxes are the boxes found in the frame captured at found, moved on at their plates'
// speed to where they are in the frame captured at shown, and scaled to a pane; none when
// they are too old to be where the plates are.
func paneBoxes(boxes []plateBox, found, shown time.Time, scale float64) []image.Rectangle {
	age := shown.Sub(found)
	if age > boxFresh || age < -boxFresh {
		return nil
	}
	out := make([]image.Rectangle, len(boxes))
	for i, b := range boxes {
		move := image.Pt(int(math.Round(b.vx*age.Seconds())), int(math.Round(b.vy*age.Seconds())))
		out[i] = scaleRect(b.rect.Add(move), scale)
	}
	return out
}

func centre(r image.Rectangle) image.Point { return r.Min.Add(r.Max).Div(2) }

// samePass reports whether two reads are of one plate, allowing the misread of a character or
// two that separates frames of the same vehicle.
func samePass(a, b string) bool {
	if a == b {
		return true
	}
	if len(a) != len(b) {
		return false
	}
	diff := 0
	for i := range len(a) {
		if a[i] != b[i] {
			diff++
		}
	}
	return diff <= 2
}

func scaleRect(r image.Rectangle, s float64) image.Rectangle {
	return image.Rect(int(float64(r.Min.X)*s), int(float64(r.Min.Y)*s), int(float64(r.Max.X)*s), int(float64(r.Max.Y)*s))
}
