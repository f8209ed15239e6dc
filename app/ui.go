package app

import (
	"context"
	"image"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"

	"patrol-alpr/alpr"
	"patrol-alpr/internal/ctxsleep"
)

// defaultIdleLock is how long the screen stays open without a touch when Deps does not say.
const defaultIdleLock = 10 * time.Minute

// mdcScreen is the car's display in pixels (issue 6: a 1024×768 MDC). Fyne sizes
// windows in its own units, which it scales up on a display of more than 120 dots per
// inch (an 8–10 inch MDC) or when FYNE_SCALE says so; the window is sized in pixels
// once that scale is known (fitScreen), and every screen's minimum size is kept small
// enough to fit at a scale of 1.2 (TestScreensFitTheMDC).
var mdcScreen = fyne.NewSize(1024, 768)

// UI is the patrol application's window and everything on it. Its exported methods
// may be called from any goroutine.
type UI struct {
	app  fyne.App
	win  fyne.Window
	deps Deps
	now  func() time.Time
	loc  *time.Location // times are shown in the clock's zone, whatever zone the store used

	ctx    context.Context // cancelled by Close; every background task runs under it
	cancel context.CancelFunc
	work   sync.WaitGroup
	workMu sync.Mutex // orders goWork's Add before Close's Wait

	framesDue atomic.Bool  // a pass of applyFrames is queued on the Fyne thread
	passAt    atomic.Int64 // when the next pass of the grid is due (Unix ns, the computer's clock: passes are paced in real time)

	// Everything below is owned by the Fyne thread.
	night     bool
	session   *session // nil when nobody is signed in
	locked    bool
	lastTouch time.Time

	class     *classroomLog // classroom mode only
	lights    *statusLights
	panes     map[alpr.CameraID]*cameraPane
	strip     *detectionStrip
	alerts    *hitAlerts
	main      *mainScreen
	loginView *loginScreen
	lockView  *lockScreen

	signOutAsk *dialog.ConfirmDialog // the Sign out question while it is open
}

// session is the signed-in operator's shift.
type session struct {
	op          alpr.Operator
	shift       alpr.Shift
	camerasOn   bool
	selfChecked time.Time // when the III.C.7 search last ran; zero before it has
}

// New builds the window of a; deps.Login, deps.Patrol and deps.Dispositions must be set.
// The window opens on the login screen.
func New(a fyne.App, deps Deps) *UI {
	u := &UI{app: a, deps: deps, now: deps.Now, night: true}
	if u.now == nil {
		u.now = time.Now
	}
	u.loc = u.now().Location()
	if u.deps.IdleLock <= 0 {
		u.deps.IdleLock = defaultIdleLock
	}
	u.ctx, u.cancel = context.WithCancel(context.Background())
	if u.deps.Training {
		u.class = newClassroomLog(u.now())
	}
	a.Settings().SetTheme(patrolTheme{night: u.night})
	u.win = a.NewWindow(u.title())
	u.win.Resize(mdcScreen)
	u.win.SetPadded(false)
	u.lights = newStatusLights(u.win, a.Driver())
	u.panes = map[alpr.CameraID]*cameraPane{}
	for _, c := range alpr.Cameras {
		u.panes[c] = newCameraPane(c, u.now, func() float32 { return u.win.Canvas().Scale() })
	}
	u.strip = newDetectionStrip()
	u.alerts = newHitAlerts(u)
	u.win.Canvas().SetOnTypedRune(func(rune) { u.touch() })
	u.win.Canvas().SetOnTypedKey(func(*fyne.KeyEvent) { u.touch() })
	u.win.SetCloseIntercept(func() { u.Close(); u.win.Close() })
	u.showLogin("")
	return u
}

func (u *UI) title() string {
	if u.deps.Training {
		return "Patrol ALPR — TRAINING"
	}
	return "Patrol ALPR"
}

// Window returns the application window.
func (u *UI) Window() fyne.Window { return u.win }

// ShowAndRun shows the window, starts the idle-lock watch and runs the Fyne event
// loop until the window closes.
func (u *UI) ShowAndRun() {
	u.goWork(u.watchIdle)
	// Queued from another goroutine, fitScreen runs on the event loop once the window
	// exists and its scale is known; called from here it would run before either.
	u.goWork(func(context.Context) { u.do(u.fitScreen) })
	u.win.ShowAndRun()
	u.Close()
}

// fitScreen sizes the window to the MDC's pixels at the scale Fyne chose for this
// display, so a scaled-up window does not run off the screen's right and bottom edges.
func (u *UI) fitScreen() {
	if s := u.win.Canvas().Scale(); s > 1 {
		u.win.Resize(fyne.NewSize(mdcScreen.Width/s, mdcScreen.Height/s))
	}
}

// Close stops every background task of the UI and waits for them; the window stays.
func (u *UI) Close() {
	u.workMu.Lock()
	u.cancel() // no task starts after this
	u.workMu.Unlock()
	u.work.Wait()
}

// do runs f on the Fyne thread unless the UI is closed. Once the event loop has ended
// Fyne runs f on the calling goroutine, where it must not touch a widget, and the
// engine may still be handing over frames and detections while the system stops.
func (u *UI) do(f func()) {
	if u.ctx.Err() != nil {
		return
	}
	fyne.Do(func() {
		if u.ctx.Err() == nil {
			f()
		}
	})
}

// goWork runs f in a goroutine owned by the UI: it gets the UI's context and Close
// waits for it. Once the UI is closed it runs nothing (the engine may still be handing
// over frames while the system stops).
func (u *UI) goWork(f func(ctx context.Context)) {
	u.workMu.Lock()
	defer u.workMu.Unlock()
	if u.ctx.Err() != nil {
		return
	}
	u.work.Add(1)
	go func() {
		defer u.work.Done()
		f(u.ctx)
	}()
}

// ShowFrame shows a camera's picture with the plate boxes (in the picture's
// coordinates) and the last plate read. The pane copies img before ShowFrame returns,
// so the caller paints its next frame into the same image.
//
// The panes are updated in passes on the Fyne thread, at most FramePasses a second,
// each pass showing every pane's oldest frame waiting: the three cameras' frames, which
// come at their own moments, go on screen together in one repaint of the window, and a
// frame that arrives while the one before still waits is shown at the pass after,
// not dropped.
func (u *UI) ShowFrame(cam alpr.CameraID, img image.Image, boxes []image.Rectangle, lastRead string) {
	p, ok := u.panes[cam]
	if !ok {
		return
	}
	p.put(frame{img: img, boxes: boxes, lastRead: lastRead})
	u.schedulePass()
}

// defaultFramePasses is how many passes a second at most update the camera panes unless
// Deps.FramePasses says: a third more than a 15 frames a second camera makes, so frames
// left waiting by a late pass are caught up. (When each pass was timed from the one
// before, not on a grid, the passes' own waits for the Fyne thread made 20 a second
// slower than the cameras, and frames were dropped.)
const defaultFramePasses = 20

// schedulePass queues a pass of applyFrames unless one is queued: at the next moment of
// a grid of passes FramePasses a second, at once when the screen has been idle. A grid,
// not a pass's interval after the last one, so that the passes' own waits for the Fyne
// thread do not add up and slow them below the cameras' rate.
func (u *UI) schedulePass() {
	if !u.framesDue.CompareAndSwap(false, true) {
		return
	}
	rate := u.deps.FramePasses
	if rate == 0 {
		rate = defaultFramePasses
	}
	if rate < 0 {
		u.do(u.applyFrames)
		return
	}
	interval := time.Duration(float64(time.Second) / rate)
	now := time.Now()
	due := time.Unix(0, u.passAt.Load())
	if due.Before(now.Add(-interval)) {
		due = now // idle for a pass or more: the grid starts again now
	}
	u.passAt.Store(due.Add(interval).UnixNano()) // only the caller that set framesDue writes it
	wait := due.Sub(now)
	if wait <= 0 {
		u.do(u.applyFrames)
		return
	}
	u.goWork(func(ctx context.Context) {
		if ctxsleep.Sleep(ctx, wait) {
			u.do(u.applyFrames)
		}
	})
}

// applyFrames shows the oldest frame waiting in every pane, and queues the next pass
// when frames still wait; it runs on the Fyne thread.
func (u *UI) applyFrames() {
	u.framesDue.Store(false) // a frame put from now on schedules another pass
	more := false
	for _, c := range alpr.Cameras {
		if u.panes[c].apply() {
			more = true
		}
	}
	if more {
		u.schedulePass()
	}
}

// PaneSize is the room for the picture in a camera's pane, in the screen's pixels; zero
// before the pane is first laid out, or for no such pane. A picture of that size is drawn
// pixel for pixel, with nothing for the screen to scale.
func (u *UI) PaneSize(cam alpr.CameraID) image.Point {
	p, ok := u.panes[cam]
	if !ok {
		return image.Point{}
	}
	return p.roomPixels()
}

// PaneFrames counts one pane's frames since the window opened.
type PaneFrames struct {
	Shown   uint64 `json:"shown"`   // put on screen
	Dropped uint64 `json:"dropped"` // replaced by newer ones before a pass showed them
}

// PaneFrames is each pane's frame counts: what a profiling run samples to measure the
// panes' frame rate, and where frames are lost, from outside.
func (u *UI) PaneFrames() map[alpr.CameraID]PaneFrames {
	n := make(map[alpr.CameraID]PaneFrames, len(u.panes))
	for c, p := range u.panes {
		n[c] = PaneFrames{Shown: p.shownN.Load(), Dropped: p.droppedN.Load()}
	}
	return n
}

// SetLight sets one status light (LightCam1 … LightSystem) and the reason shown when
// the officer taps or hovers it.
func (u *UI) SetLight(name string, state LightState, reason string) {
	u.do(func() { u.lights.set(name, state, reason) })
}

// ShowCameraFault shows on a pane why it has no picture (its feed could not be started), in
// place of "Starting camera…"; the pane's next frame replaces it.
func (u *UI) ShowCameraFault(cam alpr.CameraID, reason string) {
	p, ok := u.panes[cam]
	if !ok {
		return
	}
	u.do(func() { p.setMessage(reason) })
}

// AddDetection puts a detection at the front of the recent-detections strip.
func (u *UI) AddDetection(d alpr.Detection) {
	crop := decodeJPEG(d.PlateJPEG) // decoded here, off the Fyne thread
	d.SeenAt = d.SeenAt.In(u.loc)
	u.do(func() { u.strip.add(d, crop) })
}

// RaiseHit shows the hit alert over everything and sounds the alarm. Hits that arrive
// while one is open wait in a queue whose length is shown; none is dropped.
func (u *UI) RaiseHit(h alpr.Hit, d alpr.Detection) {
	d.SeenAt = d.SeenAt.In(u.loc)
	h.RaisedAt = h.RaisedAt.In(u.loc)
	if e := &h.Match.Entry; !e.ExpiresAt.IsZero() {
		e.ExpiresAt = e.ExpiresAt.In(u.loc)
	}
	p := pendingHit{hit: h, det: d, crop: decodeJPEG(d.PlateJPEG), scene: decodeJPEG(d.SceneJPEG)}
	u.do(func() { u.alerts.push(p) })
}

// setContent puts a screen in the window, under the TRAINING banner in classroom mode.
func (u *UI) setContent(o fyne.CanvasObject) {
	u.win.SetContent(u.framed(o))
}

// framed adds the TRAINING banner above o in classroom mode.
func (u *UI) framed(o fyne.CanvasObject) fyne.CanvasObject {
	if !u.deps.Training {
		return o
	}
	return container.NewBorder(trainingBanner(), nil, nil, nil, o)
}

// setNight switches between the night (dark) and day (light) palettes.
func (u *UI) setNight(night bool) {
	u.night = night
	u.app.Settings().SetTheme(patrolTheme{night: night})
}
