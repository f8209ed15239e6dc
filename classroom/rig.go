package classroom

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"gocv.io/x/gocv"

	"patrol-alpr/alpr"
	"patrol-alpr/camera"
	"patrol-alpr/synth"
)

// ErrUnplugged is what a simulated camera reports while the trainer has failed it.
var ErrUnplugged = errors.New("simulated camera unplugged by the trainer")

// Unpluggable wraps a simulated camera feed so the trainer can fail it: while failed, reading
// and opening fail, and the real camera loop turns the light red and reconnects by itself.
type Unpluggable struct {
	camera.Source

	mu     sync.Mutex
	failed bool
}

// SetFailed fails or mends the feed.
func (u *Unpluggable) SetFailed(failed bool) {
	u.mu.Lock()
	u.failed = failed
	u.mu.Unlock()
}

func (u *Unpluggable) isFailed() bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.failed
}

// Open opens the feed unless it is failed.
func (u *Unpluggable) Open(ctx context.Context) error {
	if u.isFailed() {
		return ErrUnplugged
	}
	return u.Source.Open(ctx)
}

// Read reads the feed unless it is failed.
func (u *Unpluggable) Read(dst *gocv.Mat) error {
	if u.isFailed() {
		return ErrUnplugged
	}
	return u.Source.Read(dst)
}

// Rig is the classroom's simulated cameras: one synthetic road per pane, each feed
// unpluggable. It is the Road and Cameras the scenarios drive.
type Rig struct {
	scenes  map[alpr.CameraID]*synth.Scene
	sources map[alpr.CameraID]*Unpluggable
	rng     *rand.Rand
	mu      sync.Mutex
}

// clockCamera is the simulated camera that prints a clock into its picture, as many
// cameras do, so the trainer can show what an ignore zone is for.
const clockCamera = alpr.Cam2

// homeShare is the share of the simulated roads' vehicles on California plates: most
// vehicles on Stockton's roads are registered in California, and the trainee should
// meet what an officer meets, with out-of-state plates among them.
const homeShare = 0.8

// NewRig builds the three simulated cameras at fps: Cam-1 and Cam-2 in daylight (Cam-2
// printing a clock into its top left), Cam-3 an infrared night camera.
func NewRig(seed int64, fps float64) (*Rig, error) {
	r := &Rig{scenes: map[alpr.CameraID]*synth.Scene{}, sources: map[alpr.CameraID]*Unpluggable{},
		rng: rand.New(rand.NewPCG(uint64(seed), 0x5eed))}
	for i, cam := range alpr.Cameras {
		light := synth.Day
		if cam == alpr.Cam3 {
			light = synth.Infrared
		}
		opt := synth.SceneOptions{Seed: seed + int64(i), Light: light, HomeShare: homeShare, StateSerials: true}
		if cam == clockCamera {
			opt.Clock = time.Now()
		}
		sc, err := synth.NewScene(opt)
		if err != nil {
			return nil, fmt.Errorf("build classroom scene for %s: %w", cam, err)
		}
		r.scenes[cam] = sc
		r.sources[cam] = &Unpluggable{Source: camera.NewSynthetic(sc, fps)}
	}
	return r, nil
}

// Zones are the parts of the simulated cameras' views the reader ignores: the clock.
func (r *Rig) Zones() map[alpr.CameraID][]alpr.Zone {
	return map[alpr.CameraID][]alpr.Zone{clockCamera: {synth.ClockZone()}}
}

// Source is the feed of one pane, for camera.Start.
func (r *Rig) Source(cam alpr.CameraID) camera.Source { return r.sources[cam] }

// Enqueue drives the plate past cam next, on a California plate.
func (r *Rig) Enqueue(cam alpr.CameraID, plate string) error {
	sc, ok := r.scenes[cam]
	if !ok {
		return fmt.Errorf("no simulated camera %s", cam)
	}
	r.mu.Lock()
	st := californiaStyle(r.rng)
	r.mu.Unlock()
	return sc.Enqueue(plate, st)
}

// californiaStyle is a random plate style on California's scheme: the training hot list
// lists the scenarios' plates as California's (the mismatch scenario's as Nevada's), so the
// plate the trainee checks says California, its caption too (a random style's caption was
// any state's: "GRAND CANYON STATE" under "California").
func californiaStyle(rng *rand.Rand) synth.Style { return synth.RandomStyleIn(rng, synth.California) }

// SetFailed fails or mends one simulated camera.
func (r *Rig) SetFailed(cam alpr.CameraID, failed bool) {
	if s, ok := r.sources[cam]; ok {
		s.SetFailed(failed)
	}
}
