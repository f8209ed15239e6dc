package car

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"time"

	"patrol-alpr/alpr"
	"patrol-alpr/camera"
	"patrol-alpr/engine"
	"patrol-alpr/ocr"
)

// Activate starts a shift's patrol for an operator the screen has found trained and certified
// (I.B, III.C.5.a): it downloads the hot lists (III.C.5), starts the three cameras and the
// reading pipeline, and reports what the self-check found wrong. Problems that leave the car
// able to read (a list that failed to download, no GPS yet) are reported, not fatal: the
// lights stay red until they are mended.
func (s *system) Activate(ctx context.Context, op alpr.Operator, shift alpr.Shift) error {
	if !op.MayOperateCameras() {
		return fmt.Errorf("operator %s is not trained and certified to run the cameras (policy I.B)", op.ID)
	}
	if err := s.checkRoster(ctx, op.ID); err != nil {
		return err
	}
	if err := s.Deactivate(ctx); err != nil {
		return err
	}
	s.mu.Lock()
	s.shift = shift
	s.mu.Unlock()

	// A list that did not download, or a store that does not answer, leaves the cameras
	// able to read: the System light says so, and the panes show the cameras, not the
	// list's error.
	var problems []string
	hits, err := s.lists.Refresh(ctx)
	if err != nil {
		s.log.Warn("hot list refresh at shift start", "err", err) // on the System light through lists.Status
	}
	s.lateHits(ctx, hits)
	if _, err := s.db.CountDetections(ctx); err != nil {
		s.log.Error("self-check: store", "err", err)
		problems = append(problems, "store: "+err.Error())
	}
	s.mu.Lock()
	s.selfCheck = strings.Join(problems, "; ")
	s.mu.Unlock()

	ignore, err := s.cfg.Zones()
	if err != nil {
		return err
	}
	if s.rig != nil {
		ignore = s.rig.Zones()
	}
	feeds := s.startCameras(ctx)
	if len(feeds) == 0 {
		return errors.New("no camera could be started: see each camera's light")
	}
	// The readers open here, not inside the pipeline: a model folder they cannot use (a file
	// missing or damaged) stops the cameras with the reason on the panes, rather than leaving
	// them filming for a pipeline that never reads.
	readers, err := s.openReaders(readersFor(len(feeds), runtime.NumCPU()))
	if err != nil {
		for _, f := range feeds {
			_ = f.Close()
		}
		return err
	}
	runCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	eng := &engine.Engine{
		Feeds:     make([]engine.Feed, len(feeds)),
		NewReader: handOut(readers), // the engine closes them when it stops (a shared one once)
		Recorder:  s.db,
		HotLists:  s.lists,
		Screen:    s.display,
		Alerter:   s.alerter,
		Shift:     s,
		Log:       s.log,
		Ignore:    ignore,
		Tracker:   ocr.TrackerOptions{Window: s.cfg.PassWindow.Duration},
	}
	for i, f := range feeds {
		eng.Feeds[i] = f
	}
	if s.gps != nil { // no receiver configured: detections are marked as having no fix
		eng.Locator = s.gps
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := eng.Run(runCtx); err != nil && !errors.Is(err, context.Canceled) {
			s.log.Error("reading pipeline stopped", "err", err)
		}
	}()
	s.mu.Lock()
	s.feeds, s.stop, s.stopped = feeds, stop, done
	s.mu.Unlock()
	s.log.Info("patrol activated", "operator", op.ID, "vehicle", shift.VehicleNumber, "cameras", len(feeds))
	return nil
}

// readersFor is how many plate readers the cameras share: one a camera, but no more than
// half the computer's cores, so that reading, which would take every core it is given,
// leaves the others to the panes and cameras. An MDC with two cores reads all three
// cameras with one reader (8 frames a second each: about 60 % of a core); each reader
// also holds 7-18 MB of network and buffers (measured: RSS after reading, 1 to 3 readers).
func readersFor(cameras, cores int) int {
	return max(1, min(cameras, cores/2))
}

// openReaders opens n plate readers for the cameras to share.
func (s *system) openReaders(n int) ([]*ocr.Reader, error) {
	readers := make([]*ocr.Reader, 0, n)
	for range n {
		r, err := ocr.Open(ocr.Options{ModelDir: s.modelDir})
		if err != nil {
			closeReaders(readers)
			return nil, err
		}
		readers = append(readers, r)
	}
	return readers, nil
}

func closeReaders(readers []*ocr.Reader) {
	for _, r := range readers {
		r.Close()
	}
}

// handOut gives the engine the readers opened for it, one a call, round: with fewer
// readers than cameras, cameras share one (a Reader reads one frame at a time, so they
// take turns). Closing a reader twice is harmless.
func handOut(readers []*ocr.Reader) func() (engine.PlateReader, error) {
	next := 0
	return func() (engine.PlateReader, error) {
		if len(readers) == 0 {
			return nil, errors.New("no plate reader opened")
		}
		next++
		return readers[(next-1)%len(readers)], nil
	}
}

// startCameras opens each configured pane's feed; a feed that will not open still starts, red,
// and keeps trying by itself. A pane whose source cannot even be built (a synthetic scene too
// small, say) stays dark with its reason on its pane and light, and the others start.
func (s *system) startCameras(ctx context.Context) []*camera.Camera {
	var feeds []*camera.Camera
	faults := map[alpr.CameraID]string{}
	for _, cam := range alpr.Cameras {
		var src camera.Source
		fps := 15.0
		if s.rig != nil {
			src = s.rig.Source(cam)
		} else {
			spec, ok := s.cfg.Cameras[string(cam)]
			if !ok {
				continue
			}
			var err error
			if src, fps, err = sourceOf(spec); err != nil {
				s.log.Error("camera not started", "camera", cam, "err", err)
				faults[cam] = "not started: " + err.Error()
				continue
			}
		}
		feeds = append(feeds, camera.Start(context.WithoutCancel(ctx), cam, src, camera.Options{FPS: fps}))
	}
	s.mu.Lock()
	s.faults = faults
	s.mu.Unlock()
	for cam, why := range faults {
		s.display.ShowCameraFault(cam, string(cam)+" "+why)
	}
	return feeds
}

// sourceOf builds the feed a pane's source string names, and the rate it is read at.
func sourceOf(spec string) (camera.Source, float64, error) {
	c, err := camera.ParseConfig(spec)
	if err != nil {
		return nil, 0, err
	}
	src, err := camera.NewSource(c)
	if err != nil {
		return nil, 0, err
	}
	return src, c.FPS, nil
}

// Deactivate stops the cameras and the pipeline of the shift, if any.
func (s *system) Deactivate(ctx context.Context) error {
	s.mu.Lock()
	stop, done, feeds := s.stop, s.stopped, s.feeds
	s.stop, s.stopped, s.feeds, s.faults = nil, nil, nil, nil
	s.mu.Unlock()
	if stop == nil {
		return nil
	}
	stop()
	for _, f := range feeds {
		_ = f.Close()
	}
	select {
	case <-done:
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(10 * time.Second):
		return errors.New("reading pipeline did not stop within 10 s")
	}
	return nil
}
