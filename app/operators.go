package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"patrol-alpr/alpr"
	"patrol-alpr/store"
)

// roleNames are the roles an administrator may give, as the form shows them.
var roleNames = []string{string(alpr.RoleOperator), string(alpr.RoleTrainer), string(alpr.RoleAdministrator)}

// operatorsForm lets the ALPR Administrator enrol the car's operators (policy III.B, III.C):
// the first administrator is enrolled at set-up on the command line (patrol-alpr operator
// add), every other operator here. Each enrolment is audited under the administrator's id.
type operatorsForm struct {
	u         *UI
	root      fyne.CanvasObject
	id        *widget.Entry
	name      *widget.Entry
	role      *widget.Select
	pin       *widget.Entry
	pinAgain  *widget.Entry
	trained   *widget.Check
	certified *widget.Check
	database  *widget.Check
	add       *widget.Button
	message   *widget.Label
	list      *widget.Label
}

func newOperatorsForm(u *UI) *operatorsForm {
	f := &operatorsForm{u: u}
	f.id = widget.NewEntry()
	f.id.SetPlaceHolder("Badge or employee number")
	f.name = widget.NewEntry()
	f.name.SetPlaceHolder("Name as shown on the patrol screen")
	f.role = widget.NewSelect(roleNames, nil)
	f.role.SetSelected(string(alpr.RoleOperator))
	f.pin = widget.NewPasswordEntry()
	f.pin.SetPlaceHolder(fmt.Sprintf("At least %d characters", store.MinPINLength))
	f.pinAgain = widget.NewPasswordEntry()
	f.pinAgain.SetPlaceHolder("The same PIN again")
	f.trained = widget.NewCheck("Completed the ALPR course (III.C.2)", nil)
	f.certified = widget.NewCheck("Certified to run the cameras (I.B)", nil)
	f.database = widget.NewCheck("Completed the privacy, CJIS and security course: may search (III.C.1)", nil)
	f.add = widget.NewButtonWithIcon("Enrol operator", theme.ContentAddIcon(), f.submit)
	f.add.Importance = widget.HighImportance
	f.message = widget.NewLabel("")
	f.message.Wrapping = fyne.TextWrapWord
	f.list = widget.NewLabel("")
	f.list.Wrapping = fyne.TextWrapWord
	f.root = container.NewPadded(container.NewVBox(
		widget.NewForm(
			widget.NewFormItem("Operator ID", f.id),
			widget.NewFormItem("Name", f.name),
			widget.NewFormItem("Role", f.role),
			widget.NewFormItem("PIN", f.pin),
			widget.NewFormItem("PIN again", f.pinAgain),
			widget.NewFormItem("Training", container.NewVBox(f.trained, f.certified, f.database)),
		),
		container.NewHBox(layout.NewSpacer(), f.add), f.message,
		widget.NewSeparator(), bold("Enrolled on this car"), f.list))
	f.reload()
	return f
}

// operator reads the form; the error is the sentence the administrator reads.
func (f *operatorsForm) operator() (alpr.Operator, string, error) {
	today := f.u.now()
	today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, today.Location())
	op := alpr.Operator{ID: strings.TrimSpace(f.id.Text), Name: strings.TrimSpace(f.name.Text), Role: alpr.Role(f.role.Selected)}
	if f.trained.Checked {
		op.TrainedAt = today
	}
	if f.certified.Checked {
		op.CertifiedAt = today
	}
	if f.database.Checked {
		op.DatabaseTrainedAt = today
	}
	switch {
	case op.ID == "":
		return op, "", errors.New("enter the operator ID")
	case op.Name == "":
		return op, "", errors.New("enter the operator's name")
	case utf8.RuneCountInString(f.pin.Text) < store.MinPINLength:
		return op, "", fmt.Errorf("the PIN needs at least %d characters", store.MinPINLength)
	case f.pin.Text != f.pinAgain.Text:
		return op, "", errors.New("the two PINs differ")
	case f.certified.Checked && !f.trained.Checked:
		return op, "", errors.New("an operator is certified only after the ALPR course (III.C.2)")
	}
	return op, f.pin.Text, nil
}

func (f *operatorsForm) submit() {
	u := f.u
	u.touch()
	op, pin, err := f.operator()
	if err != nil {
		f.say(sentence(err.Error()), widget.DangerImportance)
		return
	}
	admin := u.session.op.ID
	f.add.Disable()
	u.goWork(func(ctx context.Context) {
		err := u.deps.Operators.AddOperator(ctx, admin, op, pin)
		u.do(func() {
			f.add.Enable()
			if err != nil {
				f.say(operatorError(op.ID, err), widget.DangerImportance)
				return
			}
			for _, e := range []*widget.Entry{f.id, f.name, f.pin, f.pinAgain} {
				e.SetText("")
			}
			for _, c := range []*widget.Check{f.trained, f.certified, f.database} {
				c.SetChecked(false)
			}
			f.say(fmt.Sprintf("%s (%s) enrolled as %s. They can sign in now.", op.Name, op.ID, op.Role), widget.SuccessImportance)
			f.reload()
		})
	})
}

func operatorError(id string, err error) string {
	switch {
	case errors.Is(err, store.ErrExists):
		return "Operator " + id + " is already enrolled."
	case errors.Is(err, store.ErrInvalid):
		return "Not enrolled: " + err.Error() + "."
	}
	return "Not enrolled — try again. (" + err.Error() + ")"
}

func (f *operatorsForm) say(msg string, imp widget.Importance) {
	f.message.Importance = imp
	f.message.SetText(msg)
}

// reload lists the enrolled operators and what each may do.
func (f *operatorsForm) reload() {
	u := f.u
	u.goWork(func(ctx context.Context) {
		ops, err := u.deps.Operators.Operators(ctx)
		u.do(func() {
			if err != nil {
				f.list.SetText("The list of operators could not be read: " + err.Error())
				return
			}
			lines := make([]string, len(ops))
			for i, op := range ops {
				lines[i] = fmt.Sprintf("%s  ·  %s  ·  %s  ·  %s", op.ID, op.Name, op.Role, mayDo(op))
			}
			f.list.SetText(strings.Join(lines, "\n"))
		})
	})
}

// mayDo says what an operator's training lets them do.
func mayDo(op alpr.Operator) string {
	switch {
	case op.MayOperateCameras():
		return "cameras and search"
	case op.MaySearch():
		return "search only"
	}
	return "not trained yet"
}
