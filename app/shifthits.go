package app

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"patrol-alpr/alpr"
)

// shiftHits lists the hits of the shift in progress with what became of each, so an
// officer (or a trainer watching a trainee) finds a confirm or reject after the alert has
// closed, and sees which hits still wait for a disposition.
type shiftHits struct {
	u       *UI
	root    fyne.CanvasObject
	summary *widget.Label
	list    *fyne.Container
}

func newShiftHits(u *UI) *shiftHits {
	h := &shiftHits{u: u, summary: widget.NewLabel(""), list: container.NewVBox()}
	h.summary.Wrapping = fyne.TextWrapWord
	h.root = container.NewPadded(container.NewVBox(h.summary, widget.NewSeparator(), h.list))
	return h
}

// reload reads the shift's hits again; called when the view is shown and after a
// disposition is saved.
func (h *shiftHits) reload() {
	u, s := h.u, h.u.session
	if s == nil {
		return
	}
	u.goWork(func(ctx context.Context) {
		hits, err := u.deps.HitLog.Hits(ctx, s.shift.StartedAt)
		u.do(func() {
			if u.session != s {
				return
			}
			if err != nil {
				h.summary.SetText("The shift's hits could not be read: " + err.Error())
				return
			}
			h.summary.SetText(hitCounts(hits, s.shift.StartedAt.Format("15:04")))
			rows := make([]fyne.CanvasObject, len(hits))
			for i, hit := range hits {
				l := widget.NewLabel(hitLine(hit, u))
				l.Wrapping = fyne.TextWrapWord
				if hit.Disposition == nil {
					l.Importance = widget.WarningImportance
				}
				rows[i] = l
			}
			h.list.Objects = rows
			h.list.Refresh()
		})
	})
}

// hitCounts sums up a shift's hits by outcome.
func hitCounts(hits []alpr.Hit, since string) string {
	if len(hits) == 0 {
		return "No hits since the shift started at " + since + "."
	}
	var confirmed, rejected, waiting int
	for _, h := range hits {
		switch {
		case h.Disposition == nil:
			waiting++
		case h.Disposition.Outcome == alpr.Confirmed:
			confirmed++
		default:
			rejected++
		}
	}
	return fmt.Sprintf("%d hit%s since %s: %d confirmed, %d rejected, %d awaiting a disposition.",
		len(hits), strings.ToLower(plural(len(hits))), since, confirmed, rejected, waiting)
}

// hitLine is one hit and its outcome, as the shift's list and the search results show it.
func hitLine(h alpr.Hit, u *UI) string {
	e := h.Match.Entry
	what := e.List
	if e.Reason != "" {
		what += " (" + e.Reason + ")"
	}
	return fmt.Sprintf("%s  %s on %s  ·  %s", h.RaisedAt.In(u.loc).Format("15:04"), e.Plate, what, outcomeText(h.Disposition))
}

// outcomeText says what became of a hit, in the words of the disposition form.
func outcomeText(d *alpr.Disposition) string {
	switch {
	case d == nil:
		return "AWAITING DISPOSITION"
	case d.Outcome == alpr.Confirmed:
		s := "CONFIRMED by " + d.ConfirmedBy
		if d.ReportNumber != "" {
			s += ", report " + d.ReportNumber
		}
		if d.Evidence {
			s += ", kept as evidence"
		}
		return s
	}
	s := "REJECTED: " + d.Reason
	if d.Note != "" {
		s += " (" + d.Note + ")"
	}
	return s
}
