package main

import (
	"context"
	"errors"
	"flag"
	"log/slog"
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"patrol-alpr/app"
	"patrol-alpr/assets"
	"patrol-alpr/config"
	"patrol-alpr/hotlist"
)

// appID names the app to Fyne (preferences, single instance); it matches FyneApp.toml.
const appID = "gov.stocktonpd.patrolalpr"

func cmdApp(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("patrol-alpr", flag.ContinueOnError)
	path := fs.String("config", config.DefaultPath(), "configuration file")
	forceClassroom := fs.Bool("classroom", false, "start in classroom (training) mode")
	dataDir := fs.String("data", "", "data folder (overrides the configuration)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := loadConfig(*path, *forceClassroom, *dataDir)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if cfg.Classroom {
		log.Info("classroom mode: simulated cameras, GPS and server; training data only", "data", cfg.DataDir)
	}
	sys, err := newSystem(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer sys.Close()

	a := fyneapp.NewWithID(appID)
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	ui := app.New(a, sys.deps())
	sys.attach(screen{ui: ui})

	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); sys.Run(runCtx) }()
	go func() {
		// SIGINT or SIGTERM: quit the app, which ends ShowAndRun. (Closing the window from
		// here instead races GLFW's pending mouse events in Fyne 2.7 and crashes.)
		select {
		case <-ctx.Done():
			fyne.Do(a.Quit)
		case <-runCtx.Done(): // the officer closed the window
		}
	}()
	ui.ShowAndRun()
	stop()
	<-done
	return nil
}

// loadConfig reads the configuration, falling back to classroom mode when there is none.
func loadConfig(path string, forceClassroom bool, dataDir string) (config.Config, error) {
	cfg, err := config.Load(path)
	switch {
	case errors.Is(err, config.ErrNotConfigured) || forceClassroom:
		dir := dataDir
		if dir == "" {
			base, err := os.UserCacheDir()
			if err != nil {
				base = os.TempDir()
			}
			dir = filepath.Join(base, "patrol-alpr", "classroom")
		}
		return config.Classroom(dir), nil
	case err != nil:
		return config.Config{}, err
	}
	if dataDir != "" {
		cfg.DataDir = dataDir
	}
	return cfg, nil
}

// deps hands the screens what they need.
func (s *system) deps() app.Deps {
	d := app.Deps{
		Login:            s.db,
		Patrol:           s,
		Dispositions:     s.db,
		Search:           s.db,
		HotPlates:        hotPlateDesk{s},
		Equipment:        s.db,
		ValidateHotPlate: hotlist.ValidateHotPlate,
		VehicleNumber:    s.cfg.VehicleNumber,
		IdleLock:         s.cfg.IdleLock.Duration,
		Training:         s.cfg.Classroom,
	}
	if s.alarm != nil {
		d.Alarm = s.alarm
	}
	if s.class != nil {
		d.LoginHint = classroomHint()
		d.Trainer = s.class
		d.Review = s.db
		d.CertificateDir = filepath.Join(s.cfg.DataDir, "certificates")
	}
	return d
}
