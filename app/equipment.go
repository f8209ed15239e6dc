package app

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"patrol-alpr/alpr"
	"patrol-alpr/store"
)

// Equipment an officer can report besides the cameras.
var otherEquipment = []string{"GPS", "Mobile data computer", "Cabling or mount", "Other"}

// equipmentProblems are what an inspection at shift start finds (III.C.3, III.C.4).
var equipmentProblems = []string{"Damaged", "Inoperable", "Not properly affixed", "Excessive wear", "Other"}

// equipmentForm reports damaged or inoperable ALPR equipment to the administrator
// (III.C.4); the report goes out through sync.
type equipmentForm struct {
	u       *UI
	root    fyne.CanvasObject
	what    *widget.Select
	problem *widget.RadioGroup
	note    *widget.Entry
	send    *widget.Button
	message *widget.Label
}

func newEquipmentForm(u *UI) *equipmentForm {
	f := &equipmentForm{u: u}
	f.what = widget.NewSelect(append(cameraNames(), otherEquipment...), nil)
	f.what.PlaceHolder = "Choose the equipment"
	f.problem = widget.NewRadioGroup(equipmentProblems, nil)
	f.note = widget.NewMultiLineEntry()
	f.note.SetPlaceHolder("What is wrong, where on the car")
	f.note.SetMinRowsVisible(3)
	f.send = widget.NewButtonWithIcon("Send to ALPR Administrator", theme.MailSendIcon(), f.submit)
	f.send.Importance = widget.HighImportance
	f.message = widget.NewLabel("")
	f.message.Wrapping = fyne.TextWrapWord
	rule := widget.NewLabel("Do not try to repair ALPR equipment yourself (III.C.8).")
	rule.Importance = widget.WarningImportance
	f.root = container.NewPadded(container.NewVBox(
		widget.NewForm(
			widget.NewFormItem("Equipment", f.what),
			widget.NewFormItem("Problem", f.problem),
			widget.NewFormItem("Note", f.note),
		),
		rule, container.NewHBox(layout.NewSpacer(), f.send), f.message))
	return f
}

// report reads the form; the string says what is missing.
func (f *equipmentForm) report() (store.EquipmentReport, string) {
	s := f.u.session
	r := store.EquipmentReport{
		Note:          strings.TrimSpace(f.note.Text),
		OperatorID:    s.op.ID,
		VehicleNumber: s.shift.VehicleNumber,
		At:            f.u.now(),
	}
	switch {
	case f.what.Selected == "":
		return r, "Choose the equipment."
	case f.problem.Selected == "":
		return r, "Choose the problem."
	case f.problem.Selected == "Other" && r.Note == "":
		return r, "Write a note describing the problem."
	}
	r.Problem = f.problem.Selected
	if isCamera(f.what.Selected) {
		r.Camera = alpr.CameraID(f.what.Selected)
	} else {
		r.Problem = f.what.Selected + ": " + r.Problem
	}
	return r, ""
}

func isCamera(name string) bool {
	for _, c := range alpr.Cameras {
		if string(c) == name {
			return true
		}
	}
	return false
}

func (f *equipmentForm) submit() {
	u := f.u
	u.touch()
	r, missing := f.report()
	if missing != "" {
		f.say(missing, widget.DangerImportance)
		return
	}
	f.send.Disable()
	u.goWork(func(ctx context.Context) {
		err := u.deps.Equipment.ReportEquipment(ctx, r)
		u.do(func() {
			f.send.Enable()
			if err != nil {
				f.say("Not sent: "+err.Error()+" — try again, and tell the ALPR Administrator by radio or phone.", widget.DangerImportance)
				return
			}
			f.say("Report kept and queued for the ALPR Administrator (III.C.4). Also document it on the vehicle computer form.", widget.SuccessImportance)
			f.what.ClearSelected()
			f.problem.SetSelected("")
			f.note.SetText("")
		})
	})
}

func (f *equipmentForm) say(msg string, imp widget.Importance) {
	f.message.Importance = imp
	f.message.SetText(msg)
}
