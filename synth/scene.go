package synth

import (
	"errors"
	"fmt"
	"image"
	"image/draw"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"patrol-alpr/alpr"
)

// SceneOptions configures a Scene. The zero value is a 1280×720 day scene.
type SceneOptions struct {
	Width, Height int   // frame size; 0 means 1280×720
	Seed          int64 // the same seed and the same Enqueue calls give the same frames
	Light         Light // Day; Dusk draws a night street with lit plates; Infrared a grey IR camera
	Fonts         []*Font
	// Clock, when set, burns the date and time into every frame's top left (ClockZone),
	// starting at this time, as many cameras print one.
	Clock time.Time
	// HomeShare is the share of passing vehicles that carry California's plates (its
	// design), as most on a California road do; the rest, and every vehicle when it
	// is 0, carry a plate of a random style and state.
	HomeShare float64
	// StateSerials lays each plate out as its state's serials are (an Illinois plate
	// AB 12345, California's 1ABC234); without it any common US layout is drawn on any
	// state's plate, as the tests' and benchmarks' seeded scenes were made.
	StateSerials bool
}

// Truth is where a plate is in a rendered frame: what a perfect reader returns.
type Truth struct {
	Plate   string // normalised, as alpr.NormalizePlate
	Printed string
	State   string
	Quad    [4]image.Point // TL, TR, BR, BL in frame pixels
	Vehicle int            // which vehicle: the same across the frames of one pass
}

// Scene is a road seen from the patrol car: lanes of traffic crossing the
// view, each vehicle carrying a plate. Render draws the frame at any time;
// vehicles are created as time advances, so t should not go backwards.
// A Scene is safe for concurrent use (the trainer enqueues while a camera renders).
type Scene struct {
	mu       sync.Mutex
	w, h     int
	rng      *rand.Rand
	look     sceneLook
	fonts    []*Font
	bg       *image.RGBA
	lanes    []lane
	vehicles []*vehicle // drawn in order: far lanes first
	queue    []queuedPlate
	nextID   int
	clock    time.Time // zero: no clock printed
	face     clockFace // the clock as printed last
	// homeShare and stateSerials are SceneOptions'.
	homeShare    float64
	stateSerials bool
}

type sceneLook struct{ night, infrared bool }

// lane is a strip of road where vehicles of one size move at one speed.
type lane struct {
	bottom float64 // y of the vehicles' lowest point
	plateW int
	speed  float64 // px/s; negative moves left
	next   float64 // seconds at which the next vehicle enters
}

type queuedPlate struct {
	printed string
	style   Style
}

// ErrSceneSize reports a frame too small to hold a readable plate.
var ErrSceneSize = errors.New("scene too small")

// NewScene builds a scene: its background and lanes.
func NewScene(opt SceneOptions) (*Scene, error) {
	w, h := opt.Width, opt.Height
	if w == 0 && h == 0 {
		w, h = 1280, 720
	}
	if w < 320 || h < 180 {
		return nil, fmt.Errorf("new scene %d×%d: %w (minimum 320×180)", w, h, ErrSceneSize)
	}
	if !(opt.HomeShare >= 0 && opt.HomeShare <= 1) {
		return nil, fmt.Errorf("new scene: home share %v: want a share from 0 to 1", opt.HomeShare)
	}
	fonts := opt.Fonts
	if len(fonts) == 0 {
		fonts = builtinFonts()
	}
	s := &Scene{
		w: w, h: h,
		rng:       rand.New(rand.NewPCG(uint64(opt.Seed), 0x5ce9e)),
		look:      sceneLook{night: opt.Light != Day, infrared: opt.Light == Infrared},
		fonts:     fonts,
		clock:     opt.Clock,
		homeShare: opt.HomeShare, stateSerials: opt.StateSerials,
	}
	s.bg = s.paintBackground()
	fw, fh := float64(w), float64(h)
	for i, l := range [...]struct{ bottom, plate, speed float64 }{
		{0.60, 0.066, 0.16}, {0.77, 0.084, 0.22}, {0.97, 0.106, 0.28},
	} {
		sign := 1.0
		if s.rng.IntN(2) == 0 {
			sign = -1
		}
		if i > 0 {
			// Alternate directions so nearer cars hide a lane's plates only
			// briefly, as oncoming traffic does.
			sign = -math.Copysign(1, s.lanes[i-1].speed)
		}
		ln := lane{bottom: l.bottom * fh, plateW: max(int(l.plate*fw), 24), speed: sign * l.speed * fw * (0.85 + 0.3*s.rng.Float64())}
		// Start part-way through a pass so the first frame already has traffic.
		ln.next = -s.rng.Float64() * fw / math.Abs(ln.speed) * float64(i+1) / 3
		s.lanes = append(s.lanes, ln)
	}
	return s, nil
}

// Bounds is the frame rectangle Render draws.
func (s *Scene) Bounds() image.Rectangle { return image.Rect(0, 0, s.w, s.h) }

// Enqueue makes the plate printed (as drawn, e.g. "7ABC123" or "ABC 1234")
// ride on the next vehicle to enter the nearest lane, where nothing hides it. A zero
// Style (no Scheme name) picks a random look.
func (s *Scene) Enqueue(printed string, st Style) error {
	if n := len(alpr.NormalizePlate(printed)); n == 0 || n > 8 {
		return fmt.Errorf("enqueue plate %q: want 1–8 letters or digits", printed)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queue = append(s.queue, queuedPlate{printed, st})
	return nil
}

// Render draws the scene at time t since it began into dst (which should be
// Bounds() in size; anything else is clipped) and returns the plates fully
// visible in it, not hidden behind a nearer vehicle.
func (s *Scene) Render(t time.Duration, dst *image.RGBA) ([]Truth, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := t.Seconds()
	if err := s.advance(now); err != nil {
		return nil, fmt.Errorf("render scene at %v: %w", t, err)
	}
	draw.Draw(dst, dst.Bounds(), s.bg, image.Point{}, draw.Src)
	pos := make([]image.Point, len(s.vehicles))
	for i, v := range s.vehicles {
		p := v.at(now)
		pos[i] = image.Pt(int(math.Round(p.X)), int(math.Round(p.Y)))
		drawOver(dst, v.sprite, pos[i])
	}
	if !s.clock.IsZero() {
		s.face.drawClock(dst, builtinFonts()[4], s.Bounds().Size(), s.clock.Add(t))
	}
	frame := dst.Bounds().Intersect(s.Bounds())
	var truths []Truth
	for i, v := range s.vehicles {
		var q [4]pt
		for k, c := range v.quad {
			q[k] = pt{c.X + float64(pos[i].X), c.Y + float64(pos[i].Y)}
		}
		box, corners := quadBounds(q[:]), toPoints(q[:])
		// Whole plates only: every corner a pixel of the frame (a corner at
		// 319.6 rounds to 320, outside a frame 320 wide, though its box fits).
		if !box.In(frame) || !allIn(corners, frame) || s.hidden(box, i, pos) {
			continue
		}
		truths = append(truths, Truth{Plate: v.plate, Printed: v.printed, State: v.state, Quad: corners, Vehicle: v.id})
	}
	return truths, nil
}

// allIn reports whether every point is a pixel of r.
func allIn(pts [4]image.Point, r image.Rectangle) bool {
	for _, p := range pts {
		if !p.In(r) {
			return false
		}
	}
	return true
}

// hidden reports whether a vehicle drawn after vehicle i covers box.
func (s *Scene) hidden(box image.Rectangle, i int, pos []image.Point) bool {
	for j := i + 1; j < len(s.vehicles); j++ {
		if s.vehicles[j].sprite.Bounds().Add(pos[j]).Overlaps(box) {
			return true
		}
	}
	return false
}

// advance creates the vehicles that entered up to now, in order of entry
// across all lanes (so the pictures do not depend on the frame rate), and
// drops those that have left.
func (s *Scene) advance(now float64) error {
	for {
		li := -1
		for i, l := range s.lanes {
			if l.next <= now && (li < 0 || l.next < s.lanes[li].next) {
				li = i
			}
		}
		if li < 0 {
			break
		}
		if err := s.spawn(li); err != nil {
			return err
		}
	}
	s.vehicles = slices.DeleteFunc(s.vehicles, func(v *vehicle) bool {
		x := v.at(now).X
		return x > float64(s.w) || x+float64(v.sprite.Bounds().Dx()) < 0
	})
	return nil
}

// spawn puts the next vehicle into lane li and schedules the one after it.
func (s *Scene) spawn(li int) error {
	l := &s.lanes[li]
	printed, st := "", Style{}
	if li == len(s.lanes)-1 && len(s.queue) > 0 {
		printed, st = s.queue[0].printed, s.queue[0].style
		s.queue = s.queue[1:]
	}
	if !s.stateSerials && printed == "" {
		// The text before the style, in any layout: the random numbers as the seeded
		// scenes of the tests and benchmarks were made with.
		printed = RandomPlateText(s.rng)
	}
	if st.Scheme.Name == "" {
		if s.homeShare > 0 && s.rng.Float64() < s.homeShare {
			st = randomStyleIn(s.rng, s.fonts, California)
		} else {
			st = RandomStyleFrom(s.rng, s.fonts)
		}
	}
	if printed == "" {
		printed = RandomPlateTextIn(s.rng, st.State)
	}
	// Seen from the side of the road, a plate moving away is turned from us.
	yaw := math.Copysign(8+10*s.rng.Float64(), l.speed)
	v, err := newVehicle(s.rng, printed, st, l.plateW, yaw, s.look)
	if err != nil {
		return fmt.Errorf("vehicle with plate %q: %w", printed, err)
	}
	sw := float64(v.sprite.Bounds().Dx())
	v.id, v.lane, v.spawn, v.speed = s.nextID, li, l.next, l.speed
	s.nextID++
	v.y = l.bottom - float64(v.sprite.Bounds().Dy())
	v.x0 = -sw
	if l.speed < 0 {
		v.x0 = float64(s.w)
	}
	// Keep a gap behind it, then a random pause, so cars in a lane never overlap.
	l.next += (sw*1.15)/math.Abs(l.speed) + 2.5*s.rng.Float64()

	at := slices.IndexFunc(s.vehicles, func(o *vehicle) bool { return o.lane > li })
	if at < 0 {
		at = len(s.vehicles)
	}
	s.vehicles = slices.Insert(s.vehicles, at, v)
	return nil
}
