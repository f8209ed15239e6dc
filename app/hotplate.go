package app

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"patrol-alpr/alpr"
)

// hotPlateReasons are the usual reasons an officer enters a plate; the first three are
// the SVS, SLR and SFR kinds that IV.D.4 limits to seven days.
var hotPlateReasons = []string{
	"Stolen vehicle (SVS)",
	"Stolen plate (SLR)",
	"Felony vehicle (SFR)",
	"Wanted person",
	"Missing person",
	"Be on the lookout",
}

// hotPlateCode is the list category of a reason, "SVS", "SLR", "SFR" or "", carried in
// HotEntry.Code where the hot-list rules look for it.
func hotPlateCode(reason string) string {
	for _, c := range []string{"SVS", "SLR", "SFR"} {
		if strings.HasSuffix(reason, "("+c+")") {
			return c
		}
	}
	return ""
}

// hotPlateForm enters an officer hot plate with what policy IV.D asks for.
type hotPlateForm struct {
	u           *UI
	root        fyne.CanvasObject
	plate       *widget.Entry
	state       *widget.Entry
	reason      *widget.SelectEntry
	distributed *widget.Check
	enteredBy   *widget.Entry
	phone       *widget.Entry
	drNumber    *widget.Entry
	synopsis    *widget.Entry
	year        *widget.Entry
	color       *widget.Entry
	make        *widget.Entry
	model       *widget.Entry
	days        *widget.Entry
	save        *widget.Button
	message     *widget.Label
}

func newHotPlateForm(u *UI) *hotPlateForm {
	f := &hotPlateForm{u: u}
	op := u.session.op
	f.plate = widget.NewEntry()
	f.plate.SetPlaceHolder("7ABC123")
	f.state = widget.NewEntry()
	f.state.SetPlaceHolder("CA")
	f.reason = widget.NewSelectEntry(hotPlateReasons)
	f.distributed = widget.NewCheck("Send to other officers", nil)
	f.distributed.SetChecked(true)
	f.enteredBy = widget.NewEntry()
	f.enteredBy.SetText(op.Name)
	f.phone = widget.NewEntry()
	f.phone.SetText(op.Phone)
	f.phone.SetPlaceHolder("Contact telephone")
	f.drNumber = widget.NewEntry()
	f.synopsis = widget.NewMultiLineEntry()
	f.synopsis.SetPlaceHolder("Short synopsis of the originating call")
	f.synopsis.SetMinRowsVisible(2)
	f.year, f.color, f.make, f.model = widget.NewEntry(), widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	f.year.SetPlaceHolder("Year")
	f.color.SetPlaceHolder("Colour")
	f.make.SetPlaceHolder("Make")
	f.model.SetPlaceHolder("Model")
	f.days = widget.NewEntry()
	f.days.SetText("7")
	f.save = widget.NewButtonWithIcon("Enter hot plate", theme.ContentAddIcon(), f.submit)
	f.save.Importance = widget.HighImportance
	f.message = widget.NewLabel("")
	f.message.Wrapping = fyne.TextWrapWord

	left := widget.NewForm(
		widget.NewFormItem("Plate", f.plate),
		widget.NewFormItem("State", f.state),
		widget.NewFormItem("Reason", f.reason),
		widget.NewFormItem("Vehicle", container.NewGridWithColumns(4, f.year, f.color, f.make, f.model)),
		widget.NewFormItem("Expires in", container.NewBorder(nil, nil, nil, widget.NewLabel("days"), f.days)),
	)
	right := widget.NewForm(
		widget.NewFormItem("", f.distributed),
		widget.NewFormItem("Entered by", f.enteredBy),
		widget.NewFormItem("Telephone", f.phone),
		widget.NewFormItem("DR no.", f.drNumber),
		widget.NewFormItem("Synopsis", f.synopsis),
	)
	hint := widget.NewLabel("Hot plates expire within 30 days, 7 for SVS, SLR and SFR (IV.D.1, IV.D.4). Plates sent to other officers need the entering officer's name and telephone, the DR number and a synopsis (IV.D.2). Be as complete and descriptive as you can (IV.D.3).")
	hint.Wrapping = fyne.TextWrapWord
	hint.Importance = widget.LowImportance
	f.root = container.NewPadded(container.NewVBox(
		container.NewGridWithColumns(2, left, right), hint,
		container.NewHBox(layout.NewSpacer(), f.save), f.message))
	return f
}

// entry reads the form into a hot entry; the error says what to fix.
func (f *hotPlateForm) entry() (alpr.HotEntry, error) {
	now := f.u.now()
	e := alpr.HotEntry{
		Plate:        alpr.NormalizePlate(f.plate.Text),
		State:        strings.ToUpper(strings.TrimSpace(f.state.Text)),
		Reason:       strings.TrimSpace(f.reason.Text),
		Code:         hotPlateCode(strings.TrimSpace(f.reason.Text)),
		EnteredBy:    strings.TrimSpace(f.enteredBy.Text),
		Phone:        strings.TrimSpace(f.phone.Text),
		DRNumber:     strings.TrimSpace(f.drNumber.Text),
		Synopsis:     strings.TrimSpace(f.synopsis.Text),
		VehicleYear:  strings.TrimSpace(f.year.Text),
		VehicleColor: strings.TrimSpace(f.color.Text),
		VehicleMake:  strings.TrimSpace(f.make.Text),
		VehicleModel: strings.TrimSpace(f.model.Text),
		EnteredAt:    now,
	}
	if e.Plate == "" {
		return e, errors.New("enter the plate")
	}
	days, err := strconv.Atoi(strings.TrimSpace(f.days.Text))
	if err != nil || days < 1 {
		return e, errors.New("expiry: enter a whole number of days, at least 1")
	}
	e.ExpiresAt = now.Add(time.Duration(days) * 24 * time.Hour)
	if v := f.u.deps.ValidateHotPlate; v != nil {
		if err := v(e, f.distributed.Checked, now); err != nil {
			return e, err
		}
	}
	return e, nil
}

func (f *hotPlateForm) submit() {
	u := f.u
	u.touch()
	e, err := f.entry()
	if err != nil {
		f.say(err.Error(), widget.DangerImportance)
		return
	}
	f.save.Disable()
	u.goWork(func(ctx context.Context) {
		err := u.deps.HotPlates.AddHotPlate(ctx, &e)
		u.do(func() {
			f.save.Enable()
			if err != nil {
				// The form keeps everything typed, so nothing is lost.
				f.say("Not entered: "+err.Error(), widget.DangerImportance)
				return
			}
			f.say(fmt.Sprintf("Hot plate %s %s entered; it expires %s.", e.Plate, e.State, e.ExpiresAt.Format("Jan 2 15:04")), widget.SuccessImportance)
			for _, w := range []*widget.Entry{f.plate, f.state, f.drNumber, f.synopsis, f.year, f.color, f.make, f.model} {
				w.SetText("")
			}
			f.reason.SetText("")
		})
	})
}

func (f *hotPlateForm) say(msg string, imp widget.Importance) {
	f.message.Importance = imp
	f.message.SetText(msg)
}
