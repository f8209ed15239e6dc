package app

import (
	"context"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// touch records that the officer used the screen; the idle lock counts from here.
func (u *UI) touch() { u.lastTouch = u.now() }

// watchIdle checks the idle time a few times a minute until ctx ends.
func (u *UI) watchIdle(ctx context.Context) {
	t := time.NewTicker(min(u.deps.IdleLock/4, 5*time.Second))
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			u.do(u.checkIdle)
		}
	}
}

// checkIdle locks the screen when nobody has touched it for the idle time.
func (u *UI) checkIdle() {
	if u.session == nil || u.locked {
		return
	}
	if u.now().Sub(u.lastTouch) >= u.deps.IdleLock {
		u.lock()
	}
}

// lock covers the screen until the signed-in operator enters their PIN again. The
// cameras keep reading and hits keep queueing (their alarm sounds); only the screen
// is closed to whoever sits in the car.
func (u *UI) lock() {
	if u.session == nil {
		return
	}
	u.locked = true
	u.alerts.hide()
	l := &lockScreen{u: u}
	l.pin = widget.NewPasswordEntry()
	l.pin.SetPlaceHolder("PIN")
	l.pin.OnSubmitted = func(string) { l.unlock() }
	l.unlockButton = widget.NewButtonWithIcon("Unlock", theme.LoginIcon(), l.unlock)
	l.unlockButton.Importance = widget.HighImportance
	l.signOut = widget.NewButtonWithIcon("Sign out", theme.LogoutIcon(), func() { u.locked = false; u.lockView = nil; u.signOut() })
	l.message = widget.NewLabel("")
	l.message.Importance = widget.DangerImportance
	l.message.Wrapping = fyne.TextWrapWord
	l.hits = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	l.hits.Importance = widget.DangerImportance

	title := newThemedText("SCREEN LOCKED", theme.ColorNameForeground, 36, fyne.TextStyle{Bold: true}).align(fyne.TextAlignCenter)
	who := widget.NewLabelWithStyle(u.session.op.Name+" ("+u.session.op.ID+") · Unit "+u.session.shift.VehicleNumber, fyne.TextAlignCenter, fyne.TextStyle{})
	card := container.NewVBox(title, who, l.hits, widget.NewForm(widget.NewFormItem("PIN", l.pin)),
		container.NewGridWithColumns(2, l.signOut, l.unlockButton), l.message)
	u.lockView = l
	l.refresh()
	u.setContent(container.NewCenter(container.New(layout.NewGridWrapLayout(fyne.NewSize(520, card.MinSize().Height+40)), card)))
	u.win.Canvas().Focus(l.pin)
}

// refreshLock updates the lock screen's count of waiting hits.
func (u *UI) refreshLock() {
	if u.lockView != nil {
		u.lockView.refresh()
	}
}

// lockScreen asks the signed-in operator's PIN to reopen the patrol screen.
type lockScreen struct {
	u            *UI
	pin          *widget.Entry
	unlockButton *widget.Button
	signOut      *widget.Button
	message      *widget.Label
	hits         *widget.Label
}

func (l *lockScreen) refresh() {
	switch n := l.u.alerts.waiting(); n {
	case 0:
		l.hits.SetText("")
		l.hits.Hide()
	case 1:
		l.hits.SetText("1 HIT WAITING — unlock to see it")
		l.hits.Show()
	default:
		l.hits.SetText(fmt.Sprintf("%d HITS WAITING — unlock to see them", n))
		l.hits.Show()
	}
}

func (l *lockScreen) unlock() {
	u := l.u
	if u.session == nil {
		return
	}
	pin := l.pin.Text
	if pin == "" {
		l.message.SetText("Enter your PIN.")
		return
	}
	l.unlockButton.Disable()
	id := u.session.op.ID
	u.goWork(func(ctx context.Context) {
		_, err := u.deps.Login.Authenticate(ctx, id, pin)
		u.do(func() {
			l.unlockButton.Enable()
			l.pin.SetText("")
			if err != nil {
				l.message.SetText(sentence(loginError(err).Error()))
				return
			}
			if u.lockView != l || u.session == nil {
				return // signed out meanwhile
			}
			u.locked, u.lockView = false, nil
			u.touch()
			u.showMain()
			u.alerts.refresh()
		})
	})
}
