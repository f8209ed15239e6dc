package app

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"patrol-alpr/alpr"
)

// Reasons offered when rejecting a hit, in the order an officer meets them.
var rejectReasons = []string{alpr.RejectMisread, alpr.RejectWrongState, alpr.RejectVehicleDiffers, alpr.RejectEntryCleared, alpr.RejectOther}

// dispositionForm is the bottom of a hit alert: mute, then Confirm or Reject with what
// the policy asks to be documented (III.D.3, III.E.1).
type dispositionForm struct {
	u       *UI
	p       pendingHit
	count   int
	onSaved func(hitID int64)
	// relayout lays the whole alert out again when the form grows or shrinks.
	relayout func()

	badge   *canvas.Text
	header  *fyne.Container // holds badge; laid out again when the count changes
	box     *fyne.Container
	mute    *widget.Button
	confirm *widget.Button
	reject  *widget.Button

	outcome     alpr.Outcome
	confirmedBy *choices
	reason      *choices
	report      *widget.Entry
	note        *widget.Entry
	evidence    *widget.Check
	message     *widget.Label
	save        *widget.Button
	back        *widget.Button
}

func newDispositionForm(u *UI, p pendingHit, count int, onSaved func(int64)) *dispositionForm {
	f := &dispositionForm{u: u, p: p, count: count, onSaved: onSaved, badge: countBadge(count)}
	f.mute = widget.NewButtonWithIcon("Mute alarm", theme.VolumeMuteIcon(), f.onMute)
	f.confirm = widget.NewButtonWithIcon("CONFIRM", theme.ConfirmIcon(), func() { f.open(alpr.Confirmed) })
	f.confirm.Importance = widget.HighImportance
	f.reject = widget.NewButtonWithIcon("REJECT", theme.CancelIcon(), func() { f.open(alpr.Rejected) })
	f.reject.Importance = widget.DangerImportance
	if p.hit.Match.Entry.Covert || u.deps.Alarm == nil {
		f.mute.Disable()
	}

	f.confirmedBy = newChoices(2, []string{alpr.ConfirmedByRadio, alpr.ConfirmedByMDC}, u.touch)
	f.reason = newChoices(3, rejectReasons, u.touch)
	f.confirmedBy.onChanged, f.reason.onChanged = f.recheck, f.recheck
	f.report = widget.NewEntry()
	f.report.SetPlaceHolder("Call history or report number (may be added later)")
	f.note = widget.NewEntry()
	f.note.SetPlaceHolder("Note")
	f.evidence = widget.NewCheck("Keep as evidence (arrest, case or litigation, IV.A.1)", nil)
	f.message = widget.NewLabel("")
	f.message.Importance = widget.DangerImportance
	f.message.Hide()
	f.save = widget.NewButtonWithIcon("Save", theme.DocumentSaveIcon(), f.onSave)
	f.save.Importance = widget.HighImportance
	f.back = widget.NewButtonWithIcon("Back", theme.NavigateBackIcon(), f.showActions)
	f.box = container.NewVBox()
	f.showActions()
	return f
}

func (f *dispositionForm) view() fyne.CanvasObject { return f.box }

func (f *dispositionForm) setCount(n int) {
	f.count = n
	f.badge.Text = waitingText(n)
	f.badge.Refresh()
	if f.header != nil {
		f.header.Refresh()
	}
}

func (f *dispositionForm) onMute() {
	f.u.touch()
	if f.u.deps.Alarm != nil {
		f.u.deps.Alarm.Ack(f.p.hit.ID)
	}
	f.mute.SetText("Muted")
	f.mute.Disable()
}

func (f *dispositionForm) showActions() {
	f.u.touch()
	f.outcome = ""
	f.box.Objects = []fyne.CanvasObject{container.NewGridWithColumns(3, f.mute, f.confirm, f.reject)}
	f.changed()
}

// open shows the questions for confirming or rejecting.
func (f *dispositionForm) open(o alpr.Outcome) {
	f.u.touch()
	f.outcome = o
	f.message.Hide()
	var form *widget.Form
	if o == alpr.Confirmed {
		f.save.SetText("Save confirmation")
		form = widget.NewForm(
			widget.NewFormItem("Confirmed by", f.confirmedBy.box),
			widget.NewFormItem("Report no.", f.report),
			widget.NewFormItem("Note", f.note),
			widget.NewFormItem("", f.evidence),
		)
	} else {
		f.save.SetText("Save rejection")
		form = widget.NewForm(
			widget.NewFormItem("Reason", f.reason.box),
			widget.NewFormItem("Note", f.note),
		)
	}
	f.box.Objects = []fyne.CanvasObject{form, f.message, container.NewGridWithColumns(3, f.mute, f.back, f.save)}
	f.changed()
}

// errIncomplete explains what the form still needs; it never reaches the store.
var errIncomplete = errors.New("incomplete disposition")

// disposition builds the decision from the form, or says what is missing.
func (f *dispositionForm) disposition() (alpr.Disposition, error) {
	s := f.u.session
	d := alpr.Disposition{
		Outcome:      f.outcome,
		Note:         strings.TrimSpace(f.note.Text),
		ReportNumber: strings.TrimSpace(f.report.Text),
		At:           f.u.now(),
	}
	if s != nil {
		d.OperatorID, d.VehicleNumber = s.op.ID, s.shift.VehicleNumber
	}
	switch f.outcome {
	case alpr.Confirmed:
		if f.confirmedBy.Selected == "" {
			return d, errors.Join(errIncomplete, errors.New("say how the hit was confirmed: radio or MDC (III.D.3)"))
		}
		d.ConfirmedBy = f.confirmedBy.Selected
		d.Evidence = f.evidence.Checked
	case alpr.Rejected:
		if f.reason.Selected == "" {
			return d, errors.Join(errIncomplete, errors.New("choose why the hit is rejected"))
		}
		if f.reason.Selected == alpr.RejectOther && d.Note == "" {
			return d, errors.Join(errIncomplete, errors.New("write a note saying why (reason: other)"))
		}
		d.Reason = f.reason.Selected
		d.ReportNumber = ""
	}
	return d, nil
}

func (f *dispositionForm) onSave() {
	f.u.touch()
	d, err := f.disposition()
	if err != nil {
		f.showError(sentence(lastLine(err)))
		return
	}
	f.save.Disable()
	f.back.Disable()
	id := f.p.hit.ID
	f.u.runSave(id, d, func(err error) {
		if err != nil {
			// The hit stays on screen and in the queue: nothing is lost.
			f.save.Enable()
			f.back.Enable()
			f.showError("Not saved — try again. (" + err.Error() + ")")
			return
		}
		f.onSaved(id)
	})
}

// recheck clears the "what is missing" message as soon as the choice it asked for is
// made (or says what is still missing). The message keeps its place, empty, so the
// buttons under it do not jump while the officer reaches for Save.
func (f *dispositionForm) recheck() {
	if !f.message.Visible() || f.message.Text == "" {
		return
	}
	_, err := f.disposition()
	switch {
	case err == nil:
		f.message.SetText("")
	case errors.Is(err, errIncomplete):
		f.message.SetText(sentence(lastLine(err)))
	}
}

func (f *dispositionForm) showError(msg string) {
	f.message.SetText(msg)
	f.message.Show()
	f.changed()
}

func (f *dispositionForm) changed() {
	if f.relayout != nil {
		f.relayout()
	} else {
		f.box.Refresh()
	}
}

// sentence capitalises the first letter of an error written for the log.
func sentence(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

// lastLine is the operator's sentence of a joined error: the part after the sentinel.
func lastLine(err error) string {
	s := err.Error()
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}
