package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"patrol-alpr/alpr"
	"patrol-alpr/store"
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

// triggered is one scenario the trainer started.
type triggered struct {
	name string
	at   time.Time
	err  error
}

// trainerPanel lets the trainer start scenarios, reset the classroom and review what
// the trainee did (issue 7).
type trainerPanel struct {
	u       *UI
	root    fyne.CanvasObject
	log     *widget.Label
	since   time.Time // start of the session under review
	done    []triggered
	buttons []*widget.Button
	review  *fyne.Container
}

func newTrainerPanel(u *UI) *trainerPanel {
	p := &trainerPanel{u: u, since: u.session.shift.StartedAt}
	grid := container.NewGridWithColumns(2)
	for _, name := range u.deps.Trainer.Scenarios() {
		b := widget.NewButtonWithIcon(name, theme.MediaPlayIcon(), func() { p.trigger(name) })
		p.buttons = append(p.buttons, b)
		grid.Add(b)
	}
	p.log = widget.NewLabel("No scenario triggered yet.")
	p.log.Wrapping = fyne.TextWrapWord
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
	p.root = container.NewPadded(container.NewBorder(
		container.NewVBox(heading, grid, actions, widget.NewSeparator(), p.log), nil, nil, nil,
		container.NewVScroll(p.review)))
	return p
}

func (p *trainerPanel) trigger(name string) {
	u := p.u
	u.touch()
	u.goWork(func(ctx context.Context) {
		err := u.deps.Trainer.Trigger(ctx, name)
		fyne.Do(func() {
			p.done = append(p.done, triggered{name: name, at: u.now(), err: err})
			p.refreshLog()
		})
	})
}

func (p *trainerPanel) refreshLog() {
	var b strings.Builder
	for _, t := range p.done {
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
		fyne.Do(func() {
			if err != nil {
				p.log.SetText("Reset failed: " + err.Error())
				return
			}
			p.done, p.since = nil, u.now()
			p.review.Objects = nil
			p.review.Refresh()
			p.log.SetText("Classroom reset to the start.")
		})
	})
}

// sessionReview is what the trainee did since the session started.
type sessionReview struct {
	trainee  alpr.Operator
	since    time.Time
	until    time.Time
	done     []triggered
	hits     []alpr.Hit
	searches []store.AuditEntry
}

func (p *trainerPanel) showReview() {
	u := p.u
	u.touch()
	r := sessionReview{trainee: u.session.op, since: p.since, done: append([]triggered(nil), p.done...)}
	u.goWork(func(ctx context.Context) {
		hits, herr := u.deps.Review.Hits(ctx, r.since)
		audit, aerr := u.deps.Review.AuditLog(ctx, r.since)
		r.hits, r.until = hits, u.now()
		for i := range r.hits {
			r.hits[i].RaisedAt = r.hits[i].RaisedAt.In(u.loc)
		}
		for _, a := range audit {
			if a.Action == store.ActionSearch {
				a.At = a.At.In(u.loc)
				r.searches = append(r.searches, a)
			}
		}
		fyne.Do(func() {
			if herr != nil || aerr != nil {
				p.log.SetText(fmt.Sprintf("Review failed: %v %v", herr, aerr))
				return
			}
			p.review.Objects = []fyne.CanvasObject{p.reviewView(r)}
			p.review.Refresh()
		})
	})
}

// reviewView lists the scenarios, the trainee's dispositions and searches, and offers
// the certificate.
func (p *trainerPanel) reviewView(r sessionReview) fyne.CanvasObject {
	text := widget.NewLabel(r.certificate())
	text.TextStyle.Monospace = true
	text.Wrapping = fyne.TextWrapWord
	box := container.NewVBox(widget.NewLabelWithStyle("Session review", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), text)
	if dir := p.u.deps.CertificateDir; dir != "" {
		status := widget.NewLabel("")
		save := widget.NewButtonWithIcon("Save certificate", theme.DocumentSaveIcon(), nil)
		save.OnTapped = func() {
			p.u.touch()
			path, err := r.save(dir)
			if err != nil {
				status.Importance = widget.DangerImportance
				status.SetText("Not saved: " + err.Error())
				return
			}
			status.Importance = widget.SuccessImportance
			status.SetText("Saved to " + path)
		}
		box.Add(container.NewHBox(save, status))
	}
	return box
}

// certificate is the plain-text record of the exercises completed, printable as is.
func (r sessionReview) certificate() string {
	var b strings.Builder
	fmt.Fprintf(&b, "PATROL ALPR — CLASSROOM EXERCISES\n")
	fmt.Fprintf(&b, "Trainee: %s (%s)\nSession: %s to %s\n\n", r.trainee.Name, r.trainee.ID, r.since.Format("2006-01-02 15:04"), r.until.Format("15:04"))
	fmt.Fprintf(&b, "Scenarios run (%d):\n", len(r.done))
	for _, t := range r.done {
		status := "run"
		if t.err != nil {
			status = "failed to start"
		}
		fmt.Fprintf(&b, "  %s  %s — %s\n", t.at.Format("15:04"), t.name, status)
	}
	decided := 0
	fmt.Fprintf(&b, "\nHits (%d):\n", len(r.hits))
	for _, h := range r.hits {
		fmt.Fprintf(&b, "  %s  %s on %s — %s\n", h.RaisedAt.Format("15:04"), h.Match.ReadPlate, h.Match.Entry.List, dispositionText(h.Disposition))
		if h.Disposition != nil {
			decided++
		}
	}
	fmt.Fprintf(&b, "\nSearches with purpose (%d):\n", len(r.searches))
	for _, s := range r.searches {
		fmt.Fprintf(&b, "  %s  %s\n", s.At.Format("15:04"), s.Detail)
	}
	fmt.Fprintf(&b, "\nCompleted: %d of %d hits decided, %d searches with purpose and case number.\n", decided, len(r.hits), len(r.searches))
	return b.String()
}

func dispositionText(d *alpr.Disposition) string {
	switch {
	case d == nil:
		return "NOT DECIDED"
	case d.Outcome == alpr.Confirmed:
		return "confirmed by " + d.ConfirmedBy
	default:
		return "rejected: " + d.Reason
	}
}

// save writes the certificate as a text file named after the trainee and the day.
func (r sessionReview) save(dir string) (string, error) {
	name := fmt.Sprintf("certificate-%s-%s.txt", alpr.NormalizePlate(r.trainee.ID), r.until.Format("20060102-1504"))
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(r.certificate()), 0o644); err != nil {
		return "", fmt.Errorf("save certificate: %w", err)
	}
	return path, nil
}
