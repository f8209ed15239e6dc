package gps_test

import (
	"context"
	"math"
	"testing"
	"time"

	"patrol-alpr/alpr"
	"patrol-alpr/gps"
)

// metres between two points by the haversine formula, independent of the package's
// flat-earth interpolation.
func metres(a, b gps.Point) float64 {
	const r = 6371000.0
	rad := math.Pi / 180
	dLat, dLon := (b.Lat-a.Lat)*rad, (b.Lon-a.Lon)*rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(a.Lat*rad)*math.Cos(b.Lat*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * r * math.Asin(math.Sqrt(h))
}

func TestStocktonLoop(t *testing.T) {
	route := &gps.Route{}
	pts := gps.StocktonLoop()
	loop := 0.0
	for i := range pts {
		loop += metres(pts[i], pts[(i+1)%len(pts)])
	}
	if loop < 1000 || loop > 10000 {
		t.Fatalf("loop is %.0f m; want a patrol of a few km", loop)
	}
	if p, heading := route.Position(0); metres(p, pts[0]) > 0.01 || heading != 0 {
		t.Errorf("start = %+v heading %v; want the first waypoint heading north", p, heading)
	}
	lap := time.Duration(loop / 11.2 * float64(time.Second))
	if p, _ := route.Position(lap); metres(p, pts[0]) > 5 {
		t.Errorf("after one lap (%s) the car is %.1f m from the start", lap, metres(p, pts[0]))
	}
	prev, _ := route.Position(0)
	for s := 1; s <= int(lap.Seconds()); s++ {
		p, heading := route.Position(time.Duration(s) * time.Second)
		// Straight legs move 11.2 m a second; a right-angle corner cuts to no less than 11.2/√2.
		if d := metres(prev, p); d > 11.2*1.01 || d < 11.2/math.Sqrt2*0.99 {
			t.Fatalf("second %d: moved %.2f m", s, d)
		}
		if p.Lat < 37.9 || p.Lat > 38.0 || p.Lon < -121.35 || p.Lon > -121.25 || heading < 0 || heading >= 360 {
			t.Fatalf("second %d: %+v heading %v is not on a Stockton street", s, p, heading)
		}
		prev = p
	}
}

// stepper is a clock whose Sleep waits for the test to let one epoch through.
type stepper struct {
	*clock
	steps chan struct{}
}

func (s stepper) Sleep(ctx context.Context, d time.Duration) error {
	select {
	case <-s.steps:
		s.Advance(d)
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func TestRouteThroughReceiver(t *testing.T) {
	st := stepper{clock: newClock(t0), steps: make(chan struct{})}
	route := &gps.Route{Now: st.Now, Sleep: st.Sleep}
	r := gps.NewReceiver(gps.Options{Source: route, Now: st.Now})
	start(t, r)

	epochs := 0
	next := func() {
		t.Helper()
		if epochs > 0 {
			st.steps <- struct{}{}
		}
		epochs++
		waitFor(t, "an epoch", 5*time.Second, func() bool { return r.Stats().Sentences == uint64(4*epochs) })
	}
	check := func(wantOK bool, wantWhy string, elapsed time.Duration) {
		t.Helper()
		ok, why := r.Status(st.Now())
		fix, at := r.Current()
		if ok != wantOK || why != wantWhy || !at.Equal(st.Now()) {
			t.Fatalf("epoch %d: Status = %v, %q, received %s; want %v, %q at %s", epochs, ok, why, at, wantOK, wantWhy, st.Now())
		}
		if !wantOK {
			if fix.Valid() || fix.Lat != 0 {
				t.Fatalf("epoch %d: fix %+v while lost", epochs, fix)
			}
			return
		}
		p, heading := route.Position(elapsed)
		if metres(p, gps.Point{Lat: fix.Lat, Lon: fix.Lon}) > 0.05 || fix.Quality != alpr.Fix3D || math.Abs(fix.Heading-heading) > 0.1 || math.Abs(fix.SpeedMS-11.2) > 0.06 {
			t.Fatalf("epoch %d: fix %+v; want 3D at %+v heading %.1f at 11.2 m/s", epochs, fix, p, heading)
		}
		if !fix.Time.Equal(st.Now()) {
			t.Fatalf("epoch %d: fix time %s, want the simulated clock's %s", epochs, fix.Time, st.Now())
		}
	}

	next()
	check(true, "", 0)
	next()
	check(true, "", time.Second)
	route.SetFixLost(true)
	next()
	check(false, "no fix", 0)
	route.SetFixLost(false)
	next()
	check(true, "", 3*time.Second) // the car kept driving while the fix was lost
}
