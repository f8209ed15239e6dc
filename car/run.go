package car

import (
	"context"
	"log/slog"

	"patrol-alpr/app"
	"patrol-alpr/config"
	"patrol-alpr/ocr"
)

// Run builds the car from cfg, opens its window with newWindow and runs until the window is
// closed or ctx is cancelled (SIGINT, SIGTERM), then stops every part and closes the store.
// The window's maker comes from main, the only place that links Fyne's desktop driver:
// packages tested under -race would otherwise compile its OpenGL binding a second time.
func Run(ctx context.Context, cfg config.Config, log *slog.Logger, newWindow func(app.Deps) *app.UI) error {
	// One OpenCV thread per call: the cameras, readers and panes already run in parallel,
	// one goroutine each, and OpenCV's own workers fanning out under them only fought
	// them for the car's two cores.
	ocr.SetOpenCVThreads(1)
	if cfg.Classroom {
		log.Info("classroom mode: simulated cameras, GPS and server; training data only", "data", cfg.DataDir)
	}
	sys, err := newSystem(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer sys.Close()

	ui := newWindow(sys.deps())
	sys.attach(screen{ui: ui})

	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); sys.Run(runCtx) }()
	go func() {
		select {
		case <-ctx.Done():
			ui.Quit()
		case <-runCtx.Done(): // the officer closed the window
		}
	}()
	ui.ShowAndRun()
	stop()
	<-done
	return nil
}
