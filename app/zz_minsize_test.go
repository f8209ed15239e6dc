package app

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"patrol-alpr/alpr"
)

func TestZZMinSizes(t *testing.T) {
	f := newFixture(t, func(d *Deps) {
		d.Training = true
		d.Trainer = &classroomRecorder{names: []string{"Stolen-vehicle hit", "Hit with a state mismatch", "Near match: 8 read for B", "Expired hot plate (no hit)", "Cam-2 fails", "GPS loses its fix", "LEARN server offline"}}
	})
	t.Logf("login %v", f.u.win.Content().MinSize())
	f.signIn(officer)
	f.feed()
	t.Logf("patrol %v top %v", f.u.win.Content().MinSize(), f.u.main.topBar().MinSize())
	for _, v := range []string{viewSearch, viewHotPlate, viewEquipment, viewTrainer} {
		test.Tap(f.u.main.nav[v])
		t.Logf("%s %v", v, f.u.win.Content().MinSize())
	}
	h, d := f.saveHit("7A8C123", "NV", stolen, alpr.Match{Kind: alpr.MatchNear, Differs: []int{2}, Edit: "8 read as B at 3", State: alpr.StateMismatch})
	f.u.RaiseHit(h, d)
	h2, d2 := f.saveHit("8XYZ001", "CA", stolen, alpr.Match{Kind: alpr.MatchExact, State: alpr.StateMatch})
	f.u.RaiseHit(h2, d2)
	t.Logf("with hits %v alert %v", f.u.win.Content().MinSize(), f.u.alerts.pop.Content.MinSize())
	test.Tap(f.u.alerts.form.confirm)
	t.Logf("confirm form alert %v", f.u.alerts.pop.Content.MinSize())
}
