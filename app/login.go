package app

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"patrol-alpr/alpr"
	"patrol-alpr/store"
)

// loginScreen starts a shift: operator ID, PIN and the vehicle the shift is driven in
// (hits are documented with it, III.E.1).
type loginScreen struct {
	u       *UI
	id      *widget.Entry
	pin     *widget.Entry
	vehicle *widget.Entry
	signIn  *widget.Button
	message *widget.Label
}

func (u *UI) showLogin(message string) {
	l := &loginScreen{u: u}
	l.id = widget.NewEntry()
	l.id.SetPlaceHolder("Operator ID")
	l.pin = widget.NewPasswordEntry()
	l.pin.SetPlaceHolder("PIN")
	l.pin.OnSubmitted = func(string) { l.submit() }
	l.vehicle = widget.NewEntry()
	l.vehicle.SetPlaceHolder("Vehicle number")
	l.vehicle.SetText(u.deps.VehicleNumber)
	l.signIn = widget.NewButtonWithIcon("Sign in and start shift", theme.LoginIcon(), l.submit)
	l.signIn.Importance = widget.HighImportance
	l.message = widget.NewLabel(message)
	l.message.Wrapping = fyne.TextWrapWord
	l.message.Importance = widget.DangerImportance

	title := newThemedText("PATROL ALPR", theme.ColorNameForeground, 40, fyne.TextStyle{Bold: true}).align(fyne.TextAlignCenter)
	sub := widget.NewLabelWithStyle("Sign in to start your shift", fyne.TextAlignCenter, fyne.TextStyle{})
	form := widget.NewForm(
		widget.NewFormItem("Operator ID", l.id),
		widget.NewFormItem("PIN", l.pin),
		widget.NewFormItem("Vehicle no.", l.vehicle),
	)
	policy := widget.NewLabel("For official law enforcement purposes only (General Order J-4, I.A, I.C). Use is logged.")
	policy.Wrapping = fyne.TextWrapWord
	policy.Importance = widget.LowImportance
	policy.Alignment = fyne.TextAlignCenter

	card := container.NewVBox(title, sub, widget.NewSeparator(), form, l.signIn, l.message, policy)
	if u.deps.LoginHint != "" {
		hint := widget.NewLabel(u.deps.LoginHint)
		hint.Wrapping = fyne.TextWrapWord
		hint.Alignment = fyne.TextAlignCenter
		hint.Importance = widget.WarningImportance
		card.Add(hint)
	}
	u.setContent(container.NewCenter(container.New(layout.NewGridWrapLayout(fyne.NewSize(560, card.MinSize().Height+60)), card)))
	u.win.Canvas().Focus(l.id)
	u.loginView = l
}

func (l *loginScreen) say(msg string) {
	l.message.SetText(msg)
}

func (l *loginScreen) submit() {
	id, pin, vehicle := strings.TrimSpace(l.id.Text), l.pin.Text, strings.TrimSpace(l.vehicle.Text)
	switch {
	case id == "":
		l.say("Enter your operator ID.")
		return
	case pin == "":
		l.say("Enter your PIN.")
		return
	case vehicle == "":
		l.say("Enter the vehicle number: hits are documented with it (III.E.1).")
		return
	}
	l.say("")
	l.signIn.Disable()
	u := l.u
	u.goWork(func(ctx context.Context) {
		op, shift, err := u.startShift(ctx, id, pin, vehicle)
		u.do(func() {
			if err != nil {
				l.signIn.Enable()
				l.pin.SetText("")
				l.say(sentence(err.Error()))
				return
			}
			u.startSession(op, shift)
		})
	})
}

// errNotTrained refuses an operator with neither camera nor database training.
var errNotTrained = errors.New("you are not trained to use the ALPR or its database (I.B, III.C.1–2): see the ALPR Administrator")

// startShift checks the PIN and opens the shift; the error is a sentence for the officer.
func (u *UI) startShift(ctx context.Context, id, pin, vehicle string) (alpr.Operator, alpr.Shift, error) {
	op, err := u.deps.Login.Authenticate(ctx, id, pin)
	if err != nil {
		return op, alpr.Shift{}, loginError(err)
	}
	// An administrator may sign in untrained: to enrol the car's operators, not to read plates.
	if !op.MayOperateCameras() && !op.MaySearch() && op.Role != alpr.RoleAdministrator {
		return op, alpr.Shift{}, errNotTrained
	}
	shift, err := u.deps.Login.StartShift(ctx, op.ID, vehicle)
	if err != nil {
		return op, shift, errors.New("could not start the shift: " + err.Error())
	}
	return op, shift, nil
}

// loginError turns a refusal into the sentence the officer reads.
func loginError(err error) error {
	switch {
	case errors.Is(err, store.ErrLockedOut):
		return errors.New("too many wrong PINs: this operator ID is locked for 15 minutes. See your supervisor if you need access now")
	case errors.Is(err, store.ErrBadCredentials):
		return errors.New("operator ID or PIN is wrong")
	}
	return errors.New("sign-in failed: " + err.Error())
}

// startSession opens the patrol screen for a signed-in operator and, if they are
// trained and certified, turns the cameras on (III.C.5).
func (u *UI) startSession(op alpr.Operator, shift alpr.Shift) {
	shift.StartedAt = shift.StartedAt.In(u.loc)
	u.session = &session{op: op, shift: shift, camerasOn: op.MayOperateCameras()}
	if u.class != nil {
		u.class.operators[op.ID] = op
	}
	u.locked = false
	u.touch()
	u.showMain()
	u.alerts.resume()
	if !op.MayOperateCameras() {
		msg := "CAMERAS OFF\n" + op.Name + " is not trained and certified to run the ALPR cameras (I.B, III.C.5.a). Search is available."
		for _, p := range u.panes {
			p.setMessage(msg)
		}
		return
	}
	for _, p := range u.panes {
		p.setMessage("Starting camera…")
	}
	u.goWork(func(ctx context.Context) {
		err := u.deps.Patrol.Activate(ctx, op, shift)
		if err == nil || ctx.Err() != nil {
			return
		}
		u.do(func() {
			for _, p := range u.panes {
				p.setMessage("Cameras not started:\n" + err.Error())
			}
		})
	})
}

// askSignOut asks before ending the shift (one tap on Sign out used to end it), saying
// what the shift's hits came to and warning of any still awaiting a disposition (III.E).
func (u *UI) askSignOut() {
	s := u.session
	if s == nil {
		return
	}
	if n := u.alerts.waiting(); n > 0 {
		u.alerts.refresh()
		return // every hit on screen gets a disposition before the shift ends
	}
	u.goWork(func(ctx context.Context) {
		msg := "End the shift that started at " + s.shift.StartedAt.Format("15:04") + " and sign out?"
		waiting := 0
		if u.deps.HitLog != nil {
			hits, err := u.deps.HitLog.Hits(ctx, s.shift.StartedAt)
			switch {
			case err != nil:
				msg += "\n\nThe shift's hits could not be read: " + err.Error()
			default:
				msg += "\n\n" + hitCounts(hits, s.shift.StartedAt.Format("15:04"))
				for _, h := range hits {
					if h.Disposition == nil {
						waiting++
					}
				}
			}
		}
		switch {
		case waiting == 1:
			msg += "\n\n1 hit still awaits a disposition: record what was done (Hits) before you sign out, or it stays on the record as not disposed (III.E)."
		case waiting > 1:
			msg += fmt.Sprintf("\n\n%d hits still await a disposition: record what was done (Hits) before you sign out, or they stay on the record as not disposed (III.E).", waiting)
		}
		u.do(func() {
			if u.session != s {
				return
			}
			if s.selfChecked.IsZero() { // read on the UI's goroutine, where it is written
				msg += "\n\nThe shift check (III.C.7) has not been done this shift: run it (Shift check) before you sign out."
			}
			text := widget.NewLabel(msg)
			text.Wrapping = fyne.TextWrapWord
			confirm := "End shift"
			if waiting > 0 {
				confirm = "End shift anyway"
			}
			d := dialog.NewCustomConfirm("Sign out", confirm, "Stay signed in", u.framed(text), func(ok bool) {
				u.signOutAsk = nil
				if ok && u.session == s {
					u.signOut()
				}
			}, u.win)
			if waiting > 0 {
				d.SetConfirmImportance(widget.DangerImportance)
			}
			d.Resize(fyne.NewSize(600, 0))
			u.signOutAsk = d
			d.Show()
		})
	})
}

// signOut ends the shift and returns to the login screen.
func (u *UI) signOut() {
	s := u.session
	if s == nil {
		return
	}
	if n := u.alerts.waiting(); n > 0 {
		u.alerts.refresh()
		return // every hit gets a disposition before the shift ends
	}
	u.session, u.locked, u.main = nil, false, nil
	u.alerts.hide()
	u.strip = newDetectionStrip() // the next shift starts with its own detections
	u.goWork(func(ctx context.Context) {
		var errs []error
		if s.camerasOn {
			errs = append(errs, u.deps.Patrol.Deactivate(ctx))
		}
		errs = append(errs, u.deps.Login.EndShift(ctx, s.shift.ID))
		if err := errors.Join(errs...); err != nil {
			u.do(func() {
				if u.loginView != nil {
					u.loginView.say("Signed out, but the end of the shift was not recorded: " + err.Error())
				}
			})
		}
	})
	for _, p := range u.panes {
		p.setMessage("Cameras off")
	}
	u.showLogin("Shift ended. Signed out.")
}

// SignIn fills in the login screen and submits it exactly as if it had been typed;
// start-up scripts and the screenshot tool use it. It does nothing once someone is
// signed in. Safe to call from any goroutine.
func (u *UI) SignIn(id, pin, vehicle string) {
	u.do(func() {
		l := u.loginView
		if u.session != nil || l == nil {
			return
		}
		l.id.SetText(id)
		l.pin.SetText(pin)
		l.vehicle.SetText(vehicle)
		l.submit()
	})
}
