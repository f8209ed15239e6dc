package app

import (
	"context"
	"fmt"
	"image"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"patrol-alpr/alpr"
	"patrol-alpr/store"
)

// The standing line of every hit alert (policy I.D, III.D.3), on two lines so it stays
// large on a narrow screen.
const (
	notProbableCause = "A HIT IS NOT PROBABLE CAUSE"
	confirmFirst     = "Confirm by radio or MDC before acting (I.D, III.D.3)"
)

// pendingHit is a hit waiting for the officer, with its pictures already decoded.
type pendingHit struct {
	hit         alpr.Hit
	det         alpr.Detection
	crop, scene image.Image
}

// hitAlerts is the queue of hits waiting for a disposition and the pop-up showing the
// first of them. A hit leaves the queue only once its disposition is saved.
type hitAlerts struct {
	u     *UI
	queue []pendingHit
	pop   *widget.PopUp
	form  *dispositionForm // the form of queue[0]
}

func newHitAlerts(u *UI) *hitAlerts { return &hitAlerts{u: u} }

// push queues a hit and sounds its alarm; it runs on the Fyne thread.
func (a *hitAlerts) push(p pendingHit) {
	for _, q := range a.queue {
		if q.hit.ID == p.hit.ID {
			return // the same hit raised twice is one hit
		}
	}
	a.queue = append(a.queue, p)
	if a.u.session != nil {
		a.sound(p)
	}
	a.refresh()
}

// sound starts the alarm of one waiting hit.
func (a *hitAlerts) sound(p pendingHit) {
	if a.u.deps.Alarm != nil {
		e := p.hit.Match.Entry
		a.u.deps.Alarm.Raise(p.hit.ID, e.Priority, e.Covert)
	}
}

// resume sounds and shows the hits that arrived while nobody was signed in: a
// disposition needs an operator, so they waited for one.
func (a *hitAlerts) resume() {
	for _, p := range a.queue {
		a.sound(p)
	}
	a.refresh()
}

// waiting counts the hits without a disposition.
func (a *hitAlerts) waiting() int { return len(a.queue) }

// refresh shows the first waiting hit, or closes the pop-up when none is left. While
// the screen is locked the alert waits (the alarm still sounds) and the lock screen
// shows the count; while nobody is signed in it waits for the next operator.
func (a *hitAlerts) refresh() {
	if a.u.locked || a.u.session == nil || len(a.queue) == 0 {
		a.hide()
		if a.u.locked {
			a.u.refreshLock()
		}
		if a.u.main != nil {
			a.u.main.setHitCount(len(a.queue))
		}
		return
	}
	if a.u.main != nil {
		a.u.main.setHitCount(len(a.queue))
	}
	first := a.queue[0]
	if a.pop != nil && a.form != nil && a.form.p.hit.ID == first.hit.ID {
		a.form.setCount(len(a.queue))
		return
	}
	a.form = newDispositionForm(a.u, first, len(a.queue), a.saved)
	content := a.u.framed(a.alertView(first, a.form))
	a.form.relayout = content.Refresh
	c := a.u.win.Canvas()
	if a.pop == nil {
		a.pop = widget.NewModalPopUp(content, c)
	} else {
		a.pop.Content = content
		a.pop.Refresh()
	}
	a.pop.Resize(c.Size().SubtractWidthHeight(24, 24))
	a.pop.Show()
}

func (a *hitAlerts) hide() {
	if a.pop != nil {
		a.pop.Hide()
		a.pop = nil
		a.form = nil
	}
}

// saved removes the hit whose disposition was kept and shows the next one.
func (a *hitAlerts) saved(id int64) {
	for i, q := range a.queue {
		if q.hit.ID == id {
			a.queue = append(a.queue[:i], a.queue[i+1:]...)
			break
		}
	}
	if a.u.deps.Alarm != nil {
		a.u.deps.Alarm.Ack(id)
	}
	a.form = nil
	if a.pop != nil {
		a.pop.Hide()
		a.pop = nil
	}
	a.refresh()
	if m := a.u.main; m != nil && m.hits != nil {
		m.hits.reload()
	}
}

// alertView lays out one hit: pictures on the left, the comparison and the hot-list
// record on the right, the standing line and the actions at the bottom.
func (a *hitAlerts) alertView(p pendingHit, f *dispositionForm) fyne.CanvasObject {
	e := p.hit.Match.Entry
	header := alertHeader(p.hit, f)

	pictures := container.NewVBox(
		captioned("PLATE", picture(p.crop, fyne.NewSize(300, 90))),
		captioned("SCENE · "+string(p.det.Camera)+" · "+clock(p.det.SeenAt), picture(p.scene, fyne.NewSize(300, 200))),
	)
	if n := p.hit.Network; n != nil { // no scene travels with a network hit: say who saw it
		pictures = container.NewVBox(
			captioned("PLATE · SEEN BY "+n.Agency+" "+n.Vehicle+" · "+clock(n.SeenAt), picture(p.crop, fyne.NewSize(300, 90))),
		)
	}

	record := widget.NewForm(
		widget.NewFormItem("List", bold(e.List+listNote(p.hit))),
		widget.NewFormItem("Reason", wrapped(e.Reason)),
		widget.NewFormItem("NCIC no.", bold(orDash(e.NCICNumber))),
		widget.NewFormItem("State", bold(orDash(e.State))),
		widget.NewFormItem("Vehicle", wrapped(orDash(e.Vehicle()))),
		widget.NewFormItem("Entered by", wrapped(enteredBy(e))),
		widget.NewFormItem("DR no.", bold(orDash(e.DRNumber))),
		widget.NewFormItem("Synopsis", wrapped(orDash(e.Synopsis))),
		widget.NewFormItem("Expires", widget.NewLabel(expiry(e))),
	)
	right := container.NewVBox(plateComparison(p.hit.Match, p.det.State))
	if n := doubtNote(p.det); n != "" { // under the read it is about
		l := widget.NewLabel(n)
		l.Wrapping = fyne.TextWrapWord
		l.Importance = widget.WarningImportance
		l.TextStyle.Bold = true
		right.Add(l)
	}
	right.Add(widget.NewSeparator())
	right.Add(record)
	if n := p.hit.Network; n != nil { // first thing read: this car did not see the vehicle
		where := widget.NewLabel(networkNote(n, a.u.now()))
		where.Wrapping = fyne.TextWrapWord
		where.Importance = widget.WarningImportance
		where.TextStyle.Bold = true
		right.Objects = append([]fyne.CanvasObject{where}, right.Objects...)
	}
	for _, n := range cautions(p.hit) {
		l := widget.NewLabel(n)
		l.Wrapping = fyne.TextWrapWord
		l.Importance = widget.WarningImportance
		right.Add(l)
	}
	// The body scrolls, never the header or the actions: with the confirm form open on
	// a 768-line screen the actions stay in reach and the window does not grow.
	body := container.NewVScroll(container.NewBorder(nil, nil, container.NewPadded(pictures), nil, container.NewPadded(right)))
	footer := container.NewVBox(standingLine(), f.view())
	return container.NewBorder(header, footer, nil, nil, body)
}

// alertHeader is the red band naming the list and the number of hits waiting.
func alertHeader(h alpr.Hit, f *dispositionForm) fyne.CanvasObject {
	bg := canvas.NewRectangle(colorAlert)
	title := canvas.NewText(hitTitle(h), colorWhite)
	title.TextStyle.Bold = true
	title.TextSize = 28
	f.header = container.NewHBox(title, layout.NewSpacer(), f.badge)
	return container.NewStack(bg, container.NewPadded(f.header))
}

func countBadge(count int) *canvas.Text {
	t := canvas.NewText(waitingText(count), colorWhite)
	t.TextStyle.Bold = true
	t.TextSize = 22
	return t
}

func waitingText(count int) string {
	if count <= 1 {
		return "1 hit"
	}
	return fmt.Sprintf("1 of %d hits waiting", count)
}

// standingLine is the reminder no alert is shown without.
func standingLine() fyne.CanvasObject {
	bg := canvas.NewRectangle(colorAmber)
	lines := container.New(layout.NewCustomPaddedVBoxLayout(0))
	for _, s := range []string{notProbableCause, confirmFirst} {
		t := canvas.NewText(s, colorInk)
		t.TextStyle.Bold = true
		t.TextSize = 18
		t.Alignment = fyne.TextAlignCenter
		lines.Add(t)
	}
	return container.NewStack(bg, container.NewPadded(lines))
}

// cautions are the list-specific warnings of the policy that go with a hit.
func cautions(h alpr.Hit) []string {
	var out []string
	e := h.Match.Entry
	if e.Informational {
		out = append(out, "Informational list: it brings the vehicle to your attention; it is not a reason to stop it (IV.C.4).")
	}
	if e.List == store.OfficerList {
		out = append(out, "Hot plate: make a reasonable effort to confirm the wanted person is in the vehicle before stopping it (IV.C.5).")
	}
	if h.Late {
		out = append(out, "Late hit: the plate passed before the list changed; the vehicle may be gone.")
	}
	return out
}

// doubtNote tells the officer the read itself is in doubt, or says nothing.
func doubtNote(d alpr.Detection) string {
	if !d.Doubtful() {
		return ""
	}
	return doubtLabel(d) + ": the reader hesitated between characters. Compare every character with the plate image before acting (III.D.2)."
}

func listNote(h alpr.Hit) string {
	switch {
	case h.Match.Entry.Covert:
		return "  (covert: silent)"
	case h.Match.Entry.Informational:
		return "  (informational)"
	}
	return ""
}

func enteredBy(e alpr.HotEntry) string {
	s := e.EnteredBy
	if e.Phone != "" {
		s += "  ·  " + e.Phone
	}
	return orDash(strings.TrimSpace(s))
}

func expiry(e alpr.HotEntry) string {
	if e.ExpiresAt.IsZero() {
		return "with the list"
	}
	return clock(e.ExpiresAt)
}

func picture(img image.Image, size fyne.Size) fyne.CanvasObject {
	var o fyne.CanvasObject
	if img == nil {
		bg := canvas.NewRectangle(colorInk)
		t := canvas.NewText("no image", colorOff)
		t.Alignment = fyne.TextAlignCenter
		o = container.NewStack(bg, container.NewCenter(t))
	} else {
		ci := canvas.NewImageFromImage(img)
		ci.FillMode = canvas.ImageFillContain
		bg := canvas.NewRectangle(colorInk)
		o = container.NewStack(bg, ci)
	}
	return container.New(layout.NewGridWrapLayout(size), o)
}

func captioned(caption string, o fyne.CanvasObject) fyne.CanvasObject {
	c := newThemedText(caption, theme.ColorNamePlaceHolder, theme.CaptionTextSize(), fyne.TextStyle{Bold: true})
	return container.NewVBox(c, o)
}

func bold(s string) *widget.Label {
	return widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

func wrapped(s string) *widget.Label {
	l := widget.NewLabel(orDash(s))
	l.Wrapping = fyne.TextWrapWord
	return l
}

// runSave keeps the disposition in the background and reports back on the Fyne thread.
func (u *UI) runSave(id int64, d alpr.Disposition, done func(error)) {
	u.goWork(func(ctx context.Context) {
		err := u.deps.Dispositions.SetDisposition(ctx, id, d)
		u.do(func() { done(err) })
	})
}
