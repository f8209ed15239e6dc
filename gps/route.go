package gps

import (
	"context"
	"io"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"patrol-alpr/alpr"
)

// Point is a place on the map, in decimal degrees (south and west negative).
type Point struct{ Lat, Lon float64 }

// StocktonLoop is a patrol loop of about 3.4 km around downtown Stockton, California
// (El Dorado St north from Weber Ave, across and back down): the classroom's beat.
func StocktonLoop() []Point {
	return []Point{
		{37.95360, -121.29070},
		{37.95780, -121.29070},
		{37.96240, -121.29080},
		{37.96240, -121.28280},
		{37.95800, -121.28280},
		{37.95360, -121.28290},
	}
}

const earthRadiusM = 6371000.0

// Route simulates a receiver in a car driving a closed loop at constant speed, for
// classroom mode. It emits RMC, GGA, GSA and VTG once an Interval, which the Receiver
// parses exactly as it would a real puck's; SetFixLost makes it report no fix, as under
// a bridge or in a parking structure.
type Route struct {
	Waypoints []Point       // a closed loop; nil means StocktonLoop
	SpeedMS   float64       // 0 means 11.2 m/s (25 mph)
	Talker    string        // "" means "GN", a multi-constellation receiver
	Interval  time.Duration // between epochs, and how far the car drives in each; 0 means 1 s
	Now       func() time.Time
	Sleep     SleepFunc // nil means RealSleep

	lost    atomic.Bool
	mu      sync.Mutex
	elapsed time.Duration // driving time so far; the car carries on where it was after a reopen
}

// SetFixLost makes the route report no fix (true) or a 3D fix again (false).
func (r *Route) SetFixLost(lost bool) { r.lost.Store(lost) }

// Open starts emitting epochs, the first at once.
func (r *Route) Open(ctx context.Context) (io.ReadCloser, error) {
	ctx, cancel := context.WithCancel(ctx)
	return &routeReader{ctx: ctx, cancel: cancel, route: r}, nil
}

// String names the source in logs.
func (r *Route) String() string { return "simulated route" }

func (r *Route) interval() time.Duration {
	if r.Interval <= 0 {
		return time.Second
	}
	return r.Interval
}

func (r *Route) speed() float64 {
	if r.SpeedMS <= 0 {
		return 11.2
	}
	return r.SpeedMS
}

// Position is where the car is after driving for elapsed, and its heading in degrees true.
func (r *Route) Position(elapsed time.Duration) (Point, float64) {
	pts := r.Waypoints
	if len(pts) == 0 {
		pts = StocktonLoop()
	}
	if len(pts) == 1 {
		return pts[0], 0
	}
	// Local flat-earth metres around the first point: exact enough over a few km.
	cos := math.Cos(pts[0].Lat * math.Pi / 180)
	toXY := func(p Point) (x, y float64) {
		return (p.Lon - pts[0].Lon) * math.Pi / 180 * earthRadiusM * cos, (p.Lat - pts[0].Lat) * math.Pi / 180 * earthRadiusM
	}
	legs := make([]float64, len(pts))
	total := 0.0
	for i := range pts {
		x0, y0 := toXY(pts[i])
		x1, y1 := toXY(pts[(i+1)%len(pts)])
		legs[i] = math.Hypot(x1-x0, y1-y0)
		total += legs[i]
	}
	if total == 0 {
		return pts[0], 0
	}
	s := math.Mod(r.speed()*elapsed.Seconds(), total)
	for i, l := range legs {
		if s > l || l == 0 {
			s -= l
			continue
		}
		x0, y0 := toXY(pts[i])
		x1, y1 := toXY(pts[(i+1)%len(pts)])
		f := s / l
		x, y := x0+f*(x1-x0), y0+f*(y1-y0)
		heading := math.Mod(math.Atan2(x1-x0, y1-y0)*180/math.Pi+360, 360)
		return Point{
			Lat: pts[0].Lat + y/earthRadiusM*180/math.Pi,
			Lon: pts[0].Lon + x/(earthRadiusM*cos)*180/math.Pi,
		}, heading
	}
	return pts[0], 0
}

// next returns the fix for the next epoch, stamped now, and advances the car.
func (r *Route) next(now time.Time) alpr.Fix {
	r.mu.Lock()
	elapsed := r.elapsed
	r.elapsed += r.interval()
	r.mu.Unlock()
	if r.lost.Load() {
		return alpr.Fix{Time: now, Satellites: 2}
	}
	p, heading := r.Position(elapsed)
	return alpr.Fix{
		Lat: p.Lat, Lon: p.Lon, Time: now, SpeedMS: r.speed(), Heading: heading,
		Quality: alpr.Fix3D, Satellites: 9, HDOP: 0.9,
	}
}

type routeReader struct {
	ctx     context.Context
	cancel  context.CancelFunc
	route   *Route
	started bool
	pending []byte
}

func (rr *routeReader) Read(p []byte) (int, error) {
	if len(rr.pending) == 0 {
		if rr.started {
			sleep := rr.route.Sleep
			if sleep == nil {
				sleep = RealSleep
			}
			if err := sleep(rr.ctx, rr.route.interval()); err != nil {
				return 0, err
			}
		}
		if err := rr.ctx.Err(); err != nil {
			return 0, err
		}
		rr.started = true
		now := time.Now
		if rr.route.Now != nil {
			now = rr.route.Now
		}
		talker := rr.route.Talker
		if talker == "" {
			talker = "GN"
		}
		rr.pending = AppendEpoch(rr.pending[:0], talker, rr.route.next(now()))
	}
	n := copy(p, rr.pending)
	rr.pending = rr.pending[n:]
	return n, nil
}

func (rr *routeReader) Close() error {
	rr.cancel()
	return nil
}
