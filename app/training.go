package app

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// trainingText is the banner over every screen and alert in classroom mode.
const trainingText = "TRAINING  ·  CLASSROOM MODE  ·  NOTHING HERE IS REAL"

// trainingBanner is yellow with black capitals: it cannot be mistaken for the patrol
// screen at a glance, in either theme.
func trainingBanner() fyne.CanvasObject {
	bg := canvas.NewRectangle(colorTraining)
	t := canvas.NewText(trainingText, colorInk)
	t.TextStyle.Bold = true
	t.TextSize = 24
	t.Alignment = fyne.TextAlignCenter
	edge := canvas.NewRectangle(colorInk)
	edge.SetMinSize(fyne.NewSize(0, 3))
	return container.NewBorder(nil, edge, nil, nil, container.NewStack(bg, container.NewPadded(t)))
}

// trainerPanel lets the trainer start scenarios, reset the classroom and review what
// the trainee did (issue 7). What it logs lives in the UI's classroomLog, so it
// survives the trainee signing out and the trainer signing in.
type trainerPanel struct {
	u       *UI
	root    fyne.CanvasObject
	scroll  *container.Scroll // the panel is taller than the screen once a review is shown
	log     *widget.Label
	buttons []*widget.Button
	review  *fyne.Container
}

func newTrainerPanel(u *UI) *trainerPanel {
	p := &trainerPanel{u: u}
	grid := container.NewGridWithColumns(2)
	for _, name := range u.deps.Trainer.Scenarios() {
		b := widget.NewButtonWithIcon(name, theme.MediaPlayIcon(), func() { p.trigger(name) })
		p.buttons = append(p.buttons, b)
		grid.Add(b)
	}
	p.log = widget.NewLabel("")
	p.log.Wrapping = fyne.TextWrapWord
	p.refreshLog()
	reset := widget.NewButtonWithIcon("Reset classroom", theme.ViewRefreshIcon(), p.reset)
	reset.Importance = widget.DangerImportance
	actions := container.NewGridWithColumns(2, reset)
	if u.deps.Review != nil {
		rev := widget.NewButtonWithIcon("Review session", theme.DocumentIcon(), p.showReview)
		rev.Importance = widget.HighImportance
		actions.Add(rev)
	}
	p.review = container.NewVBox()
	heading := widget.NewLabelWithStyle("Scenarios — each shows exactly what the real system shows", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.scroll = container.NewVScroll(container.NewPadded(container.NewVBox(heading, grid, actions, widget.NewSeparator(), p.log, p.review)))
	p.root = p.scroll
	return p
}

func (p *trainerPanel) trigger(name string) {
	u := p.u
	u.touch()
	u.goWork(func(ctx context.Context) {
		err := u.deps.Trainer.Trigger(ctx, name)
		u.do(func() {
			u.class.scenarios = append(u.class.scenarios, triggered{name: name, at: u.now(), err: err})
			p.refreshLog()
		})
	})
}

func (p *trainerPanel) refreshLog() {
	c := p.u.class
	if len(c.scenarios) == 0 {
		p.log.SetText("No scenario triggered since " + c.since.Format("15:04") + ".")
		return
	}
	var b strings.Builder
	for _, t := range c.scenarios {
		fmt.Fprintf(&b, "%s  %s", t.at.Format("15:04:05"), t.name)
		if t.err != nil {
			fmt.Fprintf(&b, " — failed: %v", t.err)
		}
		b.WriteByte('\n')
	}
	p.log.SetText(strings.TrimSpace(b.String()))
}

func (p *trainerPanel) reset() {
	u := p.u
	u.touch()
	u.goWork(func(ctx context.Context) {
		err := u.deps.Trainer.Reset(ctx)
		u.do(func() {
			if err != nil {
				p.log.SetText("Reset failed: " + err.Error())
				return
			}
			u.class = newClassroomLog(u.now())
			if s := u.session; s != nil {
				u.class.operators[s.op.ID] = s.op // still at the wheel
			}
			p.review.Objects = nil
			p.review.Refresh()
			p.refreshLog()
			p.log.SetText("Classroom reset to the start. " + p.log.Text)
		})
	})
}

// showReview reads back the session from the store and shows one certificate per
// trainee, each with its Save button.
func (p *trainerPanel) showReview() {
	u := p.u
	u.touch()
	log := *u.class
	log.scenarios = slices.Clone(log.scenarios)
	log.operators = maps.Clone(log.operators)
	unit := u.session.shift.VehicleNumber
	u.goWork(func(ctx context.Context) {
		hits, herr := u.deps.Review.Hits(ctx, log.since)
		audit, aerr := u.deps.Review.AuditLog(ctx, log.since)
		now := u.now()
		for i := range hits {
			hits[i].RaisedAt = hits[i].RaisedAt.In(u.loc)
			if d := hits[i].Disposition; d != nil {
				d.At = d.At.In(u.loc)
			}
		}
		for i := range audit {
			audit[i].At = audit[i].At.In(u.loc)
		}
		u.do(func() {
			if err := errors.Join(herr, aerr); err != nil {
				p.log.SetText("Review failed: " + err.Error())
				return
			}
			p.review.Objects = p.reviewView(newSessionReview(&log, now, unit, hits, audit))
			p.review.Refresh()
			// Bring the review into view: it opens below the scenario buttons.
			p.scroll.Refresh()
			p.scroll.ScrollToOffset(fyne.NewPos(0, p.review.Position().Y))
		})
	})
}

// reviewView shows each trainee's certificate with a button to save it.
func (p *trainerPanel) reviewView(r sessionReview) []fyne.CanvasObject {
	out := []fyne.CanvasObject{widget.NewSeparator(), widget.NewLabelWithStyle("Session review", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})}
	if len(r.trainees) == 0 {
		return append(out, widget.NewLabel("No trainee has signed in or acted since "+r.since.Format("15:04")+"."))
	}
	for _, op := range r.trainees {
		text := widget.NewLabel(r.certificate(op))
		text.TextStyle.Monospace = true
		text.Wrapping = fyne.TextWrapWord
		// The button comes first: the certificate is longer than the screen.
		if dir := p.u.deps.CertificateDir; dir != "" {
			status := widget.NewLabel("")
			status.Wrapping = fyne.TextWrapWord
			save := widget.NewButtonWithIcon("Save certificate", theme.DocumentSaveIcon(), nil)
			save.Importance = widget.HighImportance
			save.OnTapped = func() {
				p.u.touch()
				path, err := r.saveCertificate(dir, op)
				if err != nil {
					status.Importance = widget.DangerImportance
					status.SetText("Not saved: " + err.Error())
					return
				}
				status.Importance = widget.SuccessImportance
				status.SetText("Saved to " + path)
			}
			out = append(out, container.NewBorder(nil, nil, save, nil, status))
		}
		out = append(out, text)
	}
	return out
}
