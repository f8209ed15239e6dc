package classroom

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"patrol-alpr/alpr"
	"patrol-alpr/store"
)

// parts records what the scenarios did to the simulated devices.
type parts struct {
	mu       sync.Mutex
	enqueued map[alpr.CameraID][]string
	failed   map[alpr.CameraID]bool
	fixLost  bool
	offline  bool
}

func newParts() *parts {
	return &parts{enqueued: map[alpr.CameraID][]string{}, failed: map[alpr.CameraID]bool{}}
}
func (p *parts) Enqueue(c alpr.CameraID, plate string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.enqueued[c] = append(p.enqueued[c], plate)
	return nil
}
func (p *parts) SetFailed(c alpr.CameraID, f bool) { p.mu.Lock(); p.failed[c] = f; p.mu.Unlock() }
func (p *parts) SetFixLost(l bool)                 { p.mu.Lock(); p.fixLost = l; p.mu.Unlock() }
func (p *parts) SetOffline(o bool)                 { p.mu.Lock(); p.offline = o; p.mu.Unlock() }

func (p *parts) snapshot() (map[alpr.CameraID][]string, bool, bool, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	e := map[alpr.CameraID][]string{}
	for k, v := range p.enqueued {
		e[k] = append([]string(nil), v...)
	}
	return e, p.failed[alpr.Cam2], p.fixLost, p.offline
}

func openStore(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "training.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestScenarios(t *testing.T) {
	tests := []struct {
		name  string
		check func(t *testing.T, p *parts)
	}{
		{ScenarioStolen, func(t *testing.T, p *parts) {
			if e, _, _, _ := p.snapshot(); len(e[alpr.Cam1]) != 1 || e[alpr.Cam1][0] != stolenPlate {
				t.Errorf("enqueued %v, want %s on Cam-1", e, stolenPlate)
			}
		}},
		{ScenarioLookAlike, func(t *testing.T, p *parts) {
			if e, _, _, _ := p.snapshot(); len(e[alpr.Cam2]) != 1 || e[alpr.Cam2][0] != lookAlikeRead {
				t.Errorf("enqueued %v, want %s on Cam-2", e, lookAlikeRead)
			}
		}},
		{ScenarioExpired, func(t *testing.T, p *parts) {
			if e, _, _, _ := p.snapshot(); len(e[alpr.Cam3]) != 1 {
				t.Errorf("enqueued %v, want the expired plate on Cam-3", e)
			}
		}},
		{ScenarioCameraFails, func(t *testing.T, p *parts) {
			if _, failed, _, _ := p.snapshot(); !failed {
				t.Error("Cam-2 not failed")
			}
			waitFor(t, func() bool { _, failed, _, _ := p.snapshot(); return !failed })
		}},
		{ScenarioGPSLost, func(t *testing.T, p *parts) {
			if _, _, lost, _ := p.snapshot(); !lost {
				t.Error("fix not lost")
			}
			waitFor(t, func() bool { _, _, lost, _ := p.snapshot(); return !lost })
		}},
		{ScenarioServerOffline, func(t *testing.T, p *parts) {
			if _, _, _, off := p.snapshot(); !off {
				t.Error("server not offline")
			}
			waitFor(t, func() bool { _, _, _, off := p.snapshot(); return !off })
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newParts()
			c := &Classroom{Road: p, Cameras: p, GPS: p, Server: p, HotPlates: openStore(t), Outage: 30 * time.Millisecond}
			defer c.Close()
			if err := c.Trigger(context.Background(), tt.name); err != nil {
				t.Fatalf("Trigger: %v", err)
			}
			tt.check(t, p)
		})
	}
}

func TestEveryScenarioIsListedAndKnown(t *testing.T) {
	p := newParts()
	c := &Classroom{Road: p, Cameras: p, GPS: p, Server: p, HotPlates: openStore(t), Outage: time.Hour}
	defer c.Close()
	if got := len(c.Scenarios()); got != 7 {
		t.Fatalf("Scenarios() lists %d, want the 7 of the classroom issue", got)
	}
	for _, name := range c.Scenarios() {
		if err := c.Trigger(context.Background(), name); err != nil {
			t.Errorf("Trigger(%q): %v", name, err)
		}
	}
	if err := c.Trigger(context.Background(), "Alien invasion"); !errors.Is(err, ErrUnknownScenario) {
		t.Errorf("unknown scenario: err = %v", err)
	}
	if err := c.Reset(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, failed, lost, off := p.snapshot(); failed || lost || off {
		t.Error("Reset left a part broken")
	}
}

func TestSeedAccounts(t *testing.T) {
	db := openStore(t)
	ctx := context.Background()
	if err := Seed(ctx, db, time.Now()); err != nil {
		t.Fatal(err)
	}
	for _, a := range Accounts(time.Now()) {
		op, err := db.Authenticate(ctx, a.Operator.ID, a.PIN)
		if err != nil {
			t.Fatalf("log in as %s: %v", a.Operator.ID, err)
		}
		if op.MayOperateCameras() != a.Operator.MayOperateCameras() {
			t.Errorf("%s: MayOperateCameras = %v", op.ID, op.MayOperateCameras())
		}
	}
	civ, _ := db.Operator(ctx, "CIVILIAN")
	if civ.MayOperateCameras() || !civ.MaySearch() {
		t.Errorf("civilian analyst must search but not run cameras (I.B): %+v", civ)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("part did not recover by itself")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
