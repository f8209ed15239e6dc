package app

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"patrol-alpr/alpr"
)

func TestIdleLockKeepsHitsAndUnlocksWithPIN(t *testing.T) {
	f := newFixture(t, nil)
	f.signIn(officer)

	f.clock.Advance(4 * time.Minute)
	f.u.checkIdle()
	if f.u.locked {
		t.Fatal("locked before the idle time")
	}
	test.Tap(f.u.main.nav[viewPatrol]) // a touch restarts the count
	f.clock.Advance(4 * time.Minute)
	f.u.checkIdle()
	if f.u.locked {
		t.Fatal("locked although the screen was touched 4 minutes ago")
	}
	f.clock.Advance(time.Minute)
	f.u.checkIdle()
	if !f.u.locked || f.u.lockView == nil {
		t.Fatal("not locked after 5 idle minutes")
	}

	h, d := f.saveHit("7ABC123", "CA", stolen, alpr.Match{Kind: alpr.MatchExact, State: alpr.StateMatch})
	f.u.RaiseHit(h, d)
	if f.u.alerts.pop != nil {
		t.Error("hit alert shown over the lock screen")
	}
	if !strings.Contains(f.screenText(), "1 HIT WAITING") {
		t.Error("lock screen does not say a hit is waiting")
	}
	if _, _, ok := f.player.Sounding(); !ok {
		t.Error("alarm silent while locked")
	}

	l := f.u.lockView
	test.Type(l.pin, "0000")
	test.Tap(l.unlockButton)
	f.settle()
	if !f.u.locked || !strings.Contains(l.message.Text, "wrong") {
		t.Fatalf("wrong PIN: locked=%v message %q", f.u.locked, l.message.Text)
	}
	test.Type(l.pin, testPIN)
	test.Tap(l.unlockButton)
	f.settle()
	if f.u.locked {
		t.Fatal("still locked after the right PIN")
	}
	if f.u.alerts.pop == nil || !f.u.alerts.pop.Visible() {
		t.Fatal("the waiting hit is not shown after unlocking")
	}
}

func TestSignOutEndsShiftOnlyWhenNoHitWaits(t *testing.T) {
	f := newFixture(t, nil)
	f.signIn(officer)
	h, d := f.saveHit("7ABC123", "CA", stolen, alpr.Match{Kind: alpr.MatchExact, State: alpr.StateMatch})
	f.u.RaiseHit(h, d)
	f.u.signOut()
	if f.u.session == nil {
		t.Fatal("signed out with a hit waiting for its disposition")
	}
	form := f.u.alerts.form
	test.Tap(form.reject)
	form.reason.SetSelected(alpr.RejectMisread)
	test.Tap(form.save)
	f.settle()
	f.u.signOut()
	f.settle()
	if f.u.session != nil || f.u.loginView == nil {
		t.Fatal("not back on the login screen")
	}
	if f.patrol.deactivated != 1 {
		t.Errorf("cameras deactivated %d times, want 1", f.patrol.deactivated)
	}
	if !strings.Contains(f.u.loginView.message.Text, "Shift ended") {
		t.Errorf("login message %q", f.u.loginView.message.Text)
	}
}

func TestCloseStopsTheIdleWatch(t *testing.T) {
	f := newFixture(t, nil)
	f.u.goWork(f.u.watchIdle)
	done := make(chan struct{})
	go func() { f.u.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not stop the idle watch")
	}
	if f.u.ctx.Err() == nil {
		t.Error("context still live after Close")
	}
}
