package car

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"patrol-alpr/alarm"
	"patrol-alpr/alpr"
	"patrol-alpr/camera"
	"patrol-alpr/classroom"
	"patrol-alpr/config"
	"patrol-alpr/engine"
	"patrol-alpr/gps"
	"patrol-alpr/hotlist"
	"patrol-alpr/internal/dirlock"
	"patrol-alpr/learn"
	"patrol-alpr/store"
)

// system is the car: every part built from the configuration, and the goroutines that run
// them. Patrol (Activate/Deactivate) starts and stops the cameras for a shift.
type system struct {
	cfg      config.Config
	log      *slog.Logger
	lock     *dirlock.Lock // one car per data folder
	db       *store.DB
	lists    *hotlist.Manager
	alerter  *engine.Alerter
	gps      *gps.Receiver
	syncer   *learn.Syncer
	server   *learn.Client      // nil: no agency server (classroom, or none configured)
	events   *learn.EventStream // network hits from the server
	alarm    *alarm.Player      // nil: no sound device (logged at start)
	modelDir string

	// classroom only
	rig     *classroom.Rig
	route   *gps.Route // the simulated drive, unless a replay is configured
	fixGate *fixGate   // the configured replay, which the GPS scenario can silence
	class   *classroom.Classroom

	display display    // set by attach once the window exists
	reads   *readClock // the same display, noting each camera's last read for its light

	mu           sync.Mutex
	shift        alpr.Shift
	feeds        []*camera.Camera
	faults       map[alpr.CameraID]string // panes whose feed could not be built, and why
	selfCheck    string                   // what the shift-start self-check found wrong, "" if nothing
	shiftChecked int64                    // the shift whose III.C.7 check was done
	stop         context.CancelFunc       // ends the shift's cameras and engine
	stopped      chan struct{}
}

// vehicleNumber is the unit number of the shift in progress, or the configured one between
// shifts; the syncer labels its batches with it.
func (s *system) vehicleNumber() string {
	if v := s.Current().VehicleNumber; v != "" {
		return v
	}
	return s.cfg.VehicleNumber
}

// Current is the shift in progress, for the engine.
func (s *system) Current() alpr.Shift {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.shift
}

// StorePath is the store of cfg; it keeps classroom data in its own file so training never mixes with real detections.
func StorePath(cfg config.Config) string {
	if cfg.Classroom {
		return filepath.Join(cfg.DataDir, "classroom.db")
	}
	return filepath.Join(cfg.DataDir, "patrol-alpr.db")
}

func newSystem(ctx context.Context, cfg config.Config, log *slog.Logger) (_ *system, err error) {
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data folder %s: %w", cfg.DataDir, err)
	}
	s := &system{cfg: cfg, log: log}
	defer func() {
		if err != nil {
			s.Close()
		}
	}()
	if s.lock, err = dirlock.Acquire(cfg.DataDir); err != nil {
		if errors.Is(err, dirlock.ErrLocked) {
			return nil, fmt.Errorf("%w: close the other window first (or give this one its own -data folder)", err)
		}
		return nil, err
	}
	if s.db, err = store.Open(ctx, StorePath(cfg), store.Options{Training: cfg.Classroom}); err != nil {
		return nil, err
	}
	// A shift still open here was cut off (power lost, the program killed): close it at
	// its last detection, so the next sign-in starts its own and the record shows the gap.
	closed, err := s.db.CloseOpenShifts(ctx)
	if err != nil {
		return nil, err
	}
	for _, sh := range closed {
		log.Warn("shift cut off without sign-out closed at its last detection", "shift", sh.ID, "operator", sh.OperatorID, "ended", sh.EndedAt)
	}
	if s.modelDir, err = ModelDir(cfg.ModelDir); err != nil {
		return nil, err
	}
	if err := s.connectServer(); err != nil {
		return nil, err
	}
	if s.lists, err = newHotLists(ctx, cfg, s.db, log, s.lateHits, s.server); err != nil {
		return nil, err
	}
	if src := s.gpsSource(); src != nil {
		s.gps = gps.NewReceiver(gps.Options{Source: src})
	}
	s.openAlarm()
	if cfg.Classroom {
		if err := s.setUpClassroom(ctx); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func (s *system) gpsSource() gps.Source {
	switch {
	case s.cfg.Classroom && s.cfg.GPS.Replay != "":
		// A recorded drive instead of the simulated route: it loops all lesson long, and
		// the trainer's GPS scenario silences it.
		r := gps.ReplayFile(s.cfg.GPS.Replay)
		r.Loop, r.Speed = true, s.cfg.GPS.ReplaySpeed
		s.fixGate = &fixGate{src: r}
		return s.fixGate
	case s.cfg.Classroom:
		s.route = &gps.Route{}
		return s.route
	case s.cfg.GPS.Replay != "":
		r := gps.ReplayFile(s.cfg.GPS.Replay)
		r.Loop, r.Speed = s.cfg.GPS.ReplayLoop, s.cfg.GPS.ReplaySpeed
		return r
	case s.cfg.GPS.UDP != "":
		return &gps.UDP{Addr: s.cfg.GPS.UDP}
	case s.cfg.GPS.Serial != "":
		return gps.Serial{Port: s.cfg.GPS.Serial, Baud: s.cfg.GPS.Baud}
	}
	return nil
}

func (s *system) openAlarm() {
	const rate = 44100
	spk, err := alarm.OpenSpeaker(rate, 100*time.Millisecond)
	if err != nil {
		s.log.Warn("alarm will be silent", "err", err)
		return
	}
	p, err := alarm.NewPlayer(spk, rate)
	if err != nil {
		s.log.Error("alarm will be silent", "err", err)
		return
	}
	s.alarm = p
}

// attach connects the car to the screen; it must be called once, before Run and before a
// shift is activated.
func (s *system) attach(d display) {
	s.reads = &readClock{display: d, at: map[alpr.CameraID]time.Time{}}
	s.display = s.reads
	s.alerter = &engine.Alerter{Recorder: s.db, Screen: d, Shift: s, Log: s.log}
}

// Run keeps the background parts going until ctx is cancelled: GPS, sync, the daily hot-list
// download, the daily retention purge and the status lights.
func (s *system) Run(ctx context.Context) {
	var wg sync.WaitGroup
	goRun := func(name string, f func(ctx context.Context) error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := f(ctx); err != nil && !errors.Is(err, context.Canceled) {
				s.log.Error(name+" stopped", "err", err)
			}
		}()
	}
	if s.gps != nil {
		goRun("gps", s.gps.Run)
	}
	goRun("sync", s.syncer.Run)
	if s.events != nil {
		goRun("network hits", s.events.Run)
		goRun("position", s.reportPosition)
	}
	goRun("hot lists", s.lists.Run)
	goRun("retention", s.purgeDaily)
	goRun("lights", func(ctx context.Context) error {
		engine.WatchLights(ctx, 500*time.Millisecond, time.Now, s.probes(), s.display.SetLight)
		return nil
	})
	wg.Wait()
}

// purgeDaily applies the two-year retention (policy I.E, IV.A.1) at start and every day.
func (s *system) purgeDaily(ctx context.Context) error {
	t := time.NewTicker(24 * time.Hour)
	defer t.Stop()
	for {
		if rep, err := s.db.Purge(ctx); err != nil {
			s.log.Error("retention purge", "err", err)
		} else {
			s.log.Info("retention purge", "report", rep)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// probes are the six lights of policy III.C.6.
func (s *system) probes() []engine.Probe {
	ps := make([]engine.Probe, 0, 6)
	for _, cam := range alpr.Cameras {
		ps = append(ps, engine.Probe{Name: string(cam), Check: engine.CameraProbe(string(cam),
			func() camera.Health { return s.cameraHealth(cam) }, func() time.Time { return s.reads.last(cam) })})
	}
	ps = append(ps,
		engine.Probe{Name: "LEARN", Check: s.learnLight},
		engine.Probe{Name: "GPS", Check: engine.OKProbe(s.gpsStatus)},
		engine.Probe{Name: "System", Check: engine.SystemProbe(
			engine.Check(engine.OKProbe(s.lists.Status)),
			s.listWarnings,
			s.soundCheck,
			s.selfCheckResult,
		)},
	)
	return ps
}

func (s *system) gpsStatus(now time.Time) (bool, string) {
	if s.gps == nil {
		return false, "no GPS configured"
	}
	ok, why := s.gps.Status(now)
	if ok && why == "" { // say what green measures
		fix, at := s.gps.Current()
		why = fmt.Sprintf("fix %.5f, %.5f, %d satellites, %d s old", fix.Lat, fix.Lon, fix.Satellites, int(now.Sub(at).Seconds()))
	}
	return ok, why
}

// listWarnings is amber while a list in force had lines left out as unreadable: it works,
// short of those records, and the light names them so the list's owner can mend the file.
func (s *system) listWarnings(time.Time) (engine.Level, string) {
	if w := s.lists.Warnings(); w != "" {
		return engine.Amber, w
	}
	return engine.Green, ""
}

func (s *system) soundCheck(time.Time) (engine.Level, string) {
	if s.alarm == nil {
		return engine.Amber, "no sound device: alarms are shown but silent"
	}
	return engine.Green, ""
}

// selfCheckResult is what the shift-start self-check (III.C.5) found wrong, on the System light.
func (s *system) selfCheckResult(time.Time) (engine.Level, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.selfCheck != "" {
		return engine.Red, "self-check at shift start: " + s.selfCheck
	}
	return engine.Green, ""
}

func (s *system) cameraHealth(cam alpr.CameraID) camera.Health {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range s.feeds {
		if f.ID() == cam {
			return f.Health()
		}
	}
	return camera.Health{State: camera.Stopped, Reason: s.faults[cam]}
}

// Close stops the shift if one is running and closes the store.
func (s *system) Close() {
	_ = s.Deactivate(context.Background())
	if s.class != nil {
		s.class.Close()
	}
	if s.db != nil {
		_ = s.db.Close()
	}
	_ = s.lock.Release()
}
