package main

import (
	"context"
	"flag"
	"io"
	"log/slog"
	"os"
	"sync/atomic"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"patrol-alpr/alpr"
	"patrol-alpr/app"
	"patrol-alpr/assets"
	"patrol-alpr/car"
	"patrol-alpr/config"
)

// appID names the app to Fyne (preferences, single instance); it matches FyneApp.toml.
const appID = "gov.stocktonpd.patrolalpr"

func cmdApp(ctx context.Context, args []string, _ *os.File, _ io.Writer) error {
	fs := flag.NewFlagSet("patrol-alpr", flag.ContinueOnError)
	path := fs.String("config", config.DefaultPath(), "configuration file")
	forceClassroom := fs.Bool("classroom", false, "start in classroom (training) mode")
	dataDir := fs.String("data", "", "data folder (overrides the configuration)")
	profileAddr := fs.String("pprof", "", "serve Go profiles and the panes' frame counts on this loopback `address` (127.0.0.1:6060); off when empty")
	if err := fs.Parse(args); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	var ui atomic.Pointer[app.UI]
	if *profileAddr != "" {
		p, err := startProfiler(*profileAddr, func() map[alpr.CameraID]app.PaneFrames {
			if u := ui.Load(); u != nil {
				return u.PaneFrames()
			}
			return nil
		})
		if err != nil {
			return err
		}
		defer p.Close()
		log.Info("serving profiles", "url", "http://"+p.Addr()+"/debug/pprof/")
	}
	cfg, err := car.LoadConfig(*path, named(fs, "config"), *forceClassroom, *dataDir)
	if err != nil {
		return err
	}
	return car.Run(ctx, cfg, log, func(deps app.Deps) *app.UI {
		u := desktopWindow(deps)
		ui.Store(u)
		return u
	})
}

// desktopWindow opens the desktop app with its icon and builds the car's window on it.
func desktopWindow(deps app.Deps) *app.UI {
	a := fyneapp.NewWithID(appID)
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	return app.New(a, deps)
}

// named reports whether the command line set the flag, as opposed to its default.
func named(fs *flag.FlagSet, flagName string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == flagName })
	return set
}
