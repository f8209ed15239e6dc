package engine

import (
	"context"
	"errors"
	"fmt"
	"image"
	"log/slog"
	"sync"
	"time"

	"gocv.io/x/gocv"

	"patrol-alpr/alpr"
	"patrol-alpr/camera"
	"patrol-alpr/matcher"
	"patrol-alpr/ocr"
)

// Feed is one running camera (camera.Camera implements it).
type Feed interface {
	ID() alpr.CameraID
	Next(ctx context.Context) (camera.Frame, error)
	Health() camera.Health
}

// PlateReader finds and reads plates in a frame (ocr.Reader implements it).
type PlateReader interface {
	Read(frame gocv.Mat) ([]ocr.PlateRead, error)
}

// Locator gives the GPS fix current at a frame's capture time (gps.Receiver implements it).
type Locator interface {
	FixAt(t time.Time) alpr.Fix
}

// Recorder keeps detections (store.DB implements it).
type Recorder interface {
	SaveDetection(ctx context.Context, d *alpr.Detection) error
}

// HotLists hands out the hot-list index in force now (hotlist.Manager implements it).
type HotLists interface {
	Index() *matcher.Index
}

// Screen is what the officer sees of the cameras (the app's UI, through main's adapter).
type Screen interface {
	// ShowFrame puts a camera's picture on its pane; it copies img before it returns, so
	// the engine paints the next frame into the same pixels.
	ShowFrame(cam alpr.CameraID, img image.Image, boxes []image.Rectangle, lastRead string)
	// PaneSize is the room for the picture in a camera's pane, in screen pixels; zero
	// before the pane is first laid out. Frames are scaled to it before ShowFrame.
	PaneSize(cam alpr.CameraID) image.Point
	AddDetection(d alpr.Detection)
}

// Shift says who is driving which car now; hits are documented with its vehicle number (III.E.1).
type Shift interface {
	Current() alpr.Shift
}

// Engine runs the reading pipeline for a set of cameras.
type Engine struct {
	Feeds     []Feed
	NewReader func() (PlateReader, error) // called once a camera; cameras given one reader take turns
	Locator   Locator
	Recorder  Recorder
	HotLists  HotLists
	Screen    Screen
	Alerter   *Alerter // records and shows hits; shared with late hits from list changes
	Shift     Shift
	Log       *slog.Logger

	// DisplayFPS caps how often a pane is repainted (default 15).
	DisplayFPS float64
	// ReadFPS caps how many frames a second each camera's reader reads (default 8; below
	// zero: every frame it can). The pane shows every frame up to DisplayFPS either way.
	ReadFPS float64
	// PaneWidth is the width frames are scaled to for a pane whose size the screen does
	// not know yet (default 480).
	PaneWidth int
	// SceneWidth is the width scene images are stored at (default 960).
	SceneWidth int
	// Tracker configures how reads of one vehicle are folded into one pass.
	Tracker ocr.TrackerOptions
	// Ignore holds, per camera, the parts of its view where reads are dropped (a clock
	// burned into the picture); the pane shows them shaded.
	Ignore map[alpr.CameraID][]alpr.Zone
}

// Run reads every camera until ctx is cancelled; it returns when all camera loops have stopped.
func (e *Engine) Run(ctx context.Context) error {
	if e.NewReader == nil || e.Recorder == nil || e.Screen == nil || e.Alerter == nil {
		return errors.New("engine: reader, recorder, screen and alerter are required")
	}
	readers := make([]PlateReader, len(e.Feeds))
	for i := range e.Feeds {
		r, err := e.NewReader()
		if err != nil {
			closeAll(readers)
			return fmt.Errorf("open plate reader for %s: %w", e.Feeds[i].ID(), err)
		}
		readers[i] = r
	}
	defer closeAll(readers)
	var wg sync.WaitGroup
	for i, f := range e.Feeds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e.newLoop(f, readers[i]).run(ctx)
		}()
	}
	wg.Wait()
	return ctx.Err()
}

func closeAll(readers []PlateReader) {
	for _, r := range readers {
		if c, ok := r.(interface{ Close() error }); ok {
			_ = c.Close()
		}
	}
}

// defaultReadFPS is how many frames a second a camera's reader reads unless ReadFPS says.
// A plate crossing the picture stays readable for a second or more, so eight reads a
// second still read it several times in a pass, and three cameras need half the
// reading time they took reading all 15 of their frames.
const defaultReadFPS = 8

func (e *Engine) readFPS() float64 {
	if e.ReadFPS == 0 {
		return defaultReadFPS
	}
	return e.ReadFPS
}

func (e *Engine) log() *slog.Logger {
	if e.Log != nil {
		return e.Log
	}
	return slog.Default()
}

func (e *Engine) shiftID() int64 {
	if e.Shift == nil {
		return 0
	}
	return e.Shift.Current().ID
}
