package classroom

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"patrol-alpr/alpr"
)

// Road drives a chosen plate past one synthetic camera next.
type Road interface {
	Enqueue(cam alpr.CameraID, plate string) error
}

// Breakable parts: each is a simulated device the trainer can fail and mend.
type (
	// Cameras fails and restores a synthetic camera feed.
	Cameras interface {
		SetFailed(cam alpr.CameraID, failed bool)
	}
	// GPS makes the simulated receiver lose and regain its fix.
	GPS interface{ SetFixLost(lost bool) }
	// Server takes the simulated LEARN server offline and back.
	Server interface{ SetOffline(off bool) }
)

// HotPlates keeps officer-entered hot plates (store.DB implements it).
type HotPlates interface {
	AddHotPlate(ctx context.Context, e *alpr.HotEntry) error
}

// The scenarios, by the names the trainer's panel shows.
const (
	ScenarioStolen        = "Stolen-vehicle hit"
	ScenarioStateMismatch = "Hit with a state mismatch"
	ScenarioLookAlike     = "Near match: 8 read for B"
	ScenarioExpired       = "Expired hot plate (no hit)"
	ScenarioCameraFails   = "Cam-2 fails"
	ScenarioGPSLost       = "GPS loses its fix"
	ScenarioServerOffline = "LEARN server offline"
)

// Plates of the training hot list (assets/classroom/hotlist.csv) the scenarios drive past.
const (
	stolenPlate   = "7TRN123" // listed CA, stolen vehicle
	mismatchPlate = "6TRN456" // listed NV; the car meets it on a California plate
	lookAlikeRead = "4TR8218" // listed as 4TRB218: B and 8 are OCR look-alikes
	expiredPlate  = "3TRX907" // entered as an officer hot plate that has expired
)

// ErrUnknownScenario means the trainer asked for a scenario that does not exist.
var ErrUnknownScenario = errors.New("unknown scenario")

// Classroom runs the trainer's scenarios against the simulated parts.
type Classroom struct {
	Road      Road
	Cameras   Cameras
	GPS       GPS
	Server    Server
	HotPlates HotPlates
	// Outage is how long a failed part stays failed before it recovers by itself, as the
	// real ones do; default 20 s.
	Outage time.Duration
	Now    func() time.Time
	// Wipe returns the training database to its first state (Reset).
	Wipe func(ctx context.Context) error

	mu     sync.Mutex
	timers []*time.Timer
	closed bool
}

type scenario struct {
	name string
	run  func(c *Classroom, ctx context.Context) error
}

var scenarios = [...]scenario{
	{ScenarioStolen, func(c *Classroom, _ context.Context) error { return c.Road.Enqueue(alpr.Cam1, stolenPlate) }},
	{ScenarioStateMismatch, func(c *Classroom, _ context.Context) error { return c.Road.Enqueue(alpr.Cam1, mismatchPlate) }},
	{ScenarioLookAlike, func(c *Classroom, _ context.Context) error { return c.Road.Enqueue(alpr.Cam2, lookAlikeRead) }},
	{ScenarioExpired, (*Classroom).expiredHotPlate},
	{ScenarioCameraFails, func(c *Classroom, _ context.Context) error {
		c.Cameras.SetFailed(alpr.Cam2, true)
		c.after(func() { c.Cameras.SetFailed(alpr.Cam2, false) })
		return nil
	}},
	{ScenarioGPSLost, func(c *Classroom, _ context.Context) error {
		c.GPS.SetFixLost(true)
		c.after(func() { c.GPS.SetFixLost(false) })
		return nil
	}},
	{ScenarioServerOffline, func(c *Classroom, _ context.Context) error {
		c.Server.SetOffline(true)
		c.after(func() { c.Server.SetOffline(false) })
		return nil
	}},
}

// Scenarios names the scenarios in the order the panel lists them.
func (c *Classroom) Scenarios() []string {
	names := make([]string, len(scenarios))
	for i, s := range scenarios {
		names[i] = s.name
	}
	return names
}

// Trigger runs one scenario by name.
func (c *Classroom) Trigger(ctx context.Context, name string) error {
	for _, s := range scenarios {
		if s.name == name {
			if err := s.run(c, ctx); err != nil {
				return fmt.Errorf("scenario %q: %w", name, err)
			}
			return nil
		}
	}
	return fmt.Errorf("scenario %q: %w", name, ErrUnknownScenario)
}

// expiredHotPlate enters a hot plate whose seven days (IV.D.4) ran out yesterday, then drives
// it past: the trainee sees a detection and no hit, because expired entries stop matching.
func (c *Classroom) expiredHotPlate(ctx context.Context) error {
	now := c.now()
	e := alpr.HotEntry{
		List: "OFFICER", Plate: expiredPlate, State: "CA", Code: "V", Reason: "Stolen vehicle (SVS)",
		EnteredBy: "Ofc. Training", Phone: "209-555-0100", DRNumber: "TR-26-0099",
		Synopsis:  "Training record: entered eight days ago with a seven-day expiry",
		EnteredAt: now.Add(-8 * 24 * time.Hour), ExpiresAt: now.Add(-24 * time.Hour), Priority: 50,
	}
	if err := c.HotPlates.AddHotPlate(ctx, &e); err != nil {
		return fmt.Errorf("enter expired hot plate: %w", err)
	}
	return c.Road.Enqueue(alpr.Cam3, expiredPlate)
}

// Reset mends every part and returns the training database to its first state.
func (c *Classroom) Reset(ctx context.Context) error {
	c.stopTimers()
	c.Cameras.SetFailed(alpr.Cam1, false)
	c.Cameras.SetFailed(alpr.Cam2, false)
	c.Cameras.SetFailed(alpr.Cam3, false)
	c.GPS.SetFixLost(false)
	c.Server.SetOffline(false)
	if c.Wipe == nil {
		return nil
	}
	if err := c.Wipe(ctx); err != nil {
		return fmt.Errorf("reset training database: %w", err)
	}
	return nil
}

// Close cancels pending recoveries.
func (c *Classroom) Close() {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	c.stopTimers()
}

func (c *Classroom) after(f func()) {
	d := c.Outage
	if d <= 0 {
		d = 20 * time.Second
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return
	}
	c.timers = append(c.timers, time.AfterFunc(d, f))
}

func (c *Classroom) stopTimers() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, t := range c.timers {
		t.Stop()
	}
	c.timers = nil
}

func (c *Classroom) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}
