package gps_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"patrol-alpr/alpr"
	"patrol-alpr/gps"
)

var t0 = time.Date(2025, 3, 14, 17, 0, 0, 0, time.UTC)

// live is a receiver reading a pipe the test writes into, on a simulated clock.
type live struct {
	t     *testing.T
	r     *gps.Receiver
	src   *pipeSource
	clock *clock
	sent  uint64
}

func newLive(t *testing.T) *live {
	l := &live{t: t, src: newPipeSource(), clock: newClock(t0)}
	l.r = gps.NewReceiver(gps.Options{Source: l.src, Now: l.clock.Now})
	start(t, l.r)
	waitFor(t, "the source to open", 2*time.Second, func() bool { _, why := l.r.Status(l.clock.Now()); return why != "no port" })
	return l
}

// send writes s and waits until the receiver has taken all of it in.
func (l *live) send(s string) {
	l.t.Helper()
	if _, err := l.src.w.Write([]byte(s)); err != nil {
		l.t.Fatalf("write: %v", err)
	}
	l.sent += uint64(len(s))
	waitFor(l.t, "the receiver to read what was sent", 2*time.Second, func() bool { return l.r.Stats().Bytes == l.sent })
}

// epoch is one second of a 3D fix at lat, lon stamped with the simulated clock.
func (l *live) epoch(lat, lon float64) {
	l.t.Helper()
	l.send(string(gps.AppendEpoch(nil, "GP", alpr.Fix{Lat: lat, Lon: lon, Time: l.clock.Now(), Quality: alpr.Fix3D, Satellites: 8, HDOP: 1})))
}

func (l *live) lost() {
	l.t.Helper()
	l.send(string(gps.AppendEpoch(nil, "GP", alpr.Fix{Time: l.clock.Now()})))
}

func TestStatus(t *testing.T) {
	type step struct {
		do      func(l *live)
		wantOK  bool
		wantWhy string
	}
	advance := func(d time.Duration) func(*live) { return func(l *live) { l.clock.Advance(d) } }
	tests := []struct {
		name  string
		steps []step
	}{
		{"open but silent", []step{{func(*live) {}, false, "no data"}}},
		{"only garbage, as at a wrong baud rate", []step{{func(l *live) { l.send("\xf0\x0f\xe6\x98~\x00\r\n") }, false, "no data"}}},
		{"satellites in view but no position yet", []step{
			{func(l *live) { l.send(sentence("GPGSV,1,1,01,03,03,111,00")) }, false, "no fix"},
		}},
		{"fix lost", []step{{func(l *live) { l.lost() }, false, "no fix"}}},
		{"no fix, then silence", []step{
			{func(l *live) { l.lost() }, false, "no fix"},
			{advance(5 * time.Second), false, "no data"},
		}},
		{"valid fix ages into stale", []step{
			{func(l *live) { l.epoch(37.95, -121.29) }, true, ""},
			{advance(3 * time.Second), true, ""},
			{advance(time.Second), false, "stale (4 s)"},
			{advance(6 * time.Second), false, "stale (10 s)"},
			{func(l *live) { l.epoch(37.96, -121.29) }, true, ""},
		}},
		{"fix lost after a good one", []step{
			{func(l *live) { l.epoch(37.95, -121.29) }, true, ""},
			{func(l *live) { l.clock.Advance(time.Second); l.lost() }, false, "no fix"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLive(t)
			for i, s := range tt.steps {
				s.do(l)
				ok, why := l.r.Status(l.clock.Now())
				if ok != s.wantOK || why != s.wantWhy {
					t.Errorf("step %d: Status = %v, %q; want %v, %q", i, ok, why, s.wantOK, s.wantWhy)
				}
			}
		})
	}
}

func TestStatusNoPort(t *testing.T) {
	r := gps.NewReceiver(gps.Options{Source: gps.Serial{Port: "/nonexistent/ttyUSB9"}})
	if ok, why := r.Status(time.Now()); ok || why != "no port" {
		t.Errorf("before Run: Status = %v, %q; want false, \"no port\"", ok, why)
	}
	start(t, r)
	waitFor(t, "the open to fail", 2*time.Second, func() bool { return r.Err() != nil })
	if ok, why := r.Status(time.Now()); ok || why != "no port" {
		t.Errorf("Status = %v, %q; want false, \"no port\"", ok, why)
	}
	if err := r.Err(); !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), "/nonexistent/ttyUSB9") {
		t.Errorf("Err = %v; want a not-exist error naming the port", err)
	}
}

func TestFixAt(t *testing.T) {
	l := newLive(t)
	l.epoch(37.950, -121.290) // received t0
	l.clock.Advance(time.Second)
	l.epoch(37.951, -121.290) // t0+1s
	l.clock.Advance(time.Second)
	l.lost() // t0+2s
	l.clock.Advance(time.Second)
	l.epoch(37.953, -121.290) // t0+3s

	tests := []struct {
		name    string
		at      time.Time
		wantLat float64
		wantQ   alpr.FixQuality
		wantT   time.Time
	}{
		{"before the first fix", t0.Add(-time.Millisecond), 0, alpr.FixNone, time.Time{}},
		{"at the first fix", t0, 37.950, alpr.Fix3D, t0},
		{"between fixes takes the earlier", t0.Add(1900 * time.Millisecond), 37.951, alpr.Fix3D, t0.Add(time.Second)},
		{"while the fix was lost", t0.Add(2500 * time.Millisecond), 0, alpr.FixNone, t0.Add(2 * time.Second)},
		{"latest fix", t0.Add(3 * time.Second), 37.953, alpr.Fix3D, t0.Add(3 * time.Second)},
		{"still within 3 s", t0.Add(6 * time.Second), 37.953, alpr.Fix3D, t0.Add(3 * time.Second)},
		{"too long after the last fix", t0.Add(6*time.Second + time.Millisecond), 0, alpr.FixNone, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := l.r.FixAt(tt.at)
			if got.Quality != tt.wantQ || !got.Time.Equal(tt.wantT) || (tt.wantLat != 0 && !approx(got.Lat, tt.wantLat, 1e-6)) || (tt.wantLat == 0 && got.Lat != 0) {
				t.Errorf("FixAt(%s) = %+v; want lat %v quality %v time %s", tt.at.Format(time.RFC3339Nano), got, tt.wantLat, tt.wantQ, tt.wantT)
			}
		})
	}
}

func approx(a, b, tol float64) bool { return a-b <= tol && b-a <= tol }

func TestRunTwice(t *testing.T) {
	l := newLive(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := l.r.Run(ctx); !errors.Is(err, gps.ErrRunning) {
		t.Errorf("second Run = %v, want ErrRunning", err)
	}
}

func TestReplayFileMissing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing.nmea")
	r := gps.NewReceiver(gps.Options{Source: gps.ReplayFile(path), MinBackoff: time.Millisecond})
	start(t, r)
	waitFor(t, "the open to fail", 2*time.Second, func() bool { return r.Err() != nil })
	if err := r.Err(); !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), path) {
		t.Errorf("Err = %v; want not-exist naming %s", err, path)
	}
}

func TestRunStopsDuringBackoff(t *testing.T) {
	// An hour's backoff must not hold up shutdown: start's cleanup fails the test if Run
	// does not return promptly once cancelled.
	r := gps.NewReceiver(gps.Options{Source: gps.Serial{Port: "/nonexistent/ttyUSB9"}, MinBackoff: time.Hour})
	start(t, r)
	waitFor(t, "the open to fail", 2*time.Second, func() bool { return r.Err() != nil })
}
