package gps_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"patrol-alpr/alpr"
	"patrol-alpr/gps"
)

var update = flag.Bool("update", false, "rewrite testdata/stockton.nmea")

const samplePath = "testdata/stockton.nmea"

var sampleStart = time.Date(2025, 3, 14, 17, 0, 0, 0, time.UTC)

// sample synthesises testdata/stockton.nmea as testdata/README.md describes it: a minute
// of a car on the Stockton loop with the faults a real receiver has.
func sample() []byte {
	route := &gps.Route{}
	var b []byte
	for s := 0; s < 60; s++ {
		if s >= 45 && s < 50 {
			continue // the receiver says nothing for 5 s
		}
		at := sampleStart.Add(time.Duration(s) * time.Second)
		p, heading := route.Position(time.Duration(s) * time.Second)
		fix := alpr.Fix{Lat: p.Lat, Lon: p.Lon, Time: at, SpeedMS: 11.2, Heading: heading, Quality: alpr.Fix3D, Satellites: 9, HDOP: 0.9}
		talker := "GP"
		switch {
		case s >= 20 && s < 30:
			fix = alpr.Fix{Time: at, Satellites: 2} // fix lost under the Crosstown Freeway
		case s >= 30:
			talker = "GN"
			fix.Quality, fix.Satellites, fix.HDOP = alpr.FixDGPS, 14, 0.6
		}
		epoch := gps.AppendEpoch(nil, talker, fix)
		if s == 5 {
			epoch = bytes.Replace(epoch, []byte(",A,3757"), []byte(",A,3857"), 1) // one bit flipped on the wire
		}
		b = append(b, epoch...)
		b = append(b, sentence(talker+"GSV,3,1,11,03,03,111,00,04,15,270,00,06,01,010,00,13,06,292,00")...)
		switch s {
		case 10:
			b = append(b, "\x00\xff\xfe\x80 line noise\r\n"...)
		case 40:
			b = append(b, "$GNGGA,170040.00,3757.\r\n"...) // cut short
		}
	}
	return b
}

func TestSampleIsCurrent(t *testing.T) {
	want := sample()
	if *update {
		if err := os.WriteFile(samplePath, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(samplePath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is not what sample() makes; run go test ./gps -run TestSampleIsCurrent -update", samplePath)
	}
}

func TestReplayFile(t *testing.T) {
	c := newClock(sampleStart) // receive times then equal the recording's times
	src := gps.ReplayFile(samplePath)
	var r *gps.Receiver
	seen := map[time.Duration]string{} // the light just before each epoch arrived
	src.Sleep = func(ctx context.Context, d time.Duration) error {
		c.Advance(d)
		_, why := r.Status(c.Now())
		seen[c.Now().Sub(sampleStart)] = why
		return ctx.Err()
	}
	r = gps.NewReceiver(gps.Options{Source: src, Now: c.Now, MinBackoff: time.Microsecond})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := r.Run(ctx); err != nil || ctx.Err() != nil {
		t.Fatalf("Run = %v (ctx %v); want nil when the replay ends", err, ctx.Err())
	}

	// Counts by construction of the file (testdata/README.md): 55 epochs of 4 used
	// sentences and a GSV, one RMC corrupted, one run of noise, one cut sentence.
	want := gps.Stats{Sentences: 55*4 - 1, Unsupported: 55, BadChecksum: 1, Garbage: 2}
	st := r.Stats()
	if fi, err := os.Stat(samplePath); err != nil || st.Bytes != uint64(fi.Size()) {
		t.Errorf("read %d bytes of %s (stat err %v)", st.Bytes, samplePath, err)
	}
	st.Bytes, st.Reopens = 0, 0
	if st != want {
		t.Errorf("stats = %+v, want %+v", st, want)
	}

	route := &gps.Route{}
	at := func(s float64) time.Time { return sampleStart.Add(time.Duration(s * float64(time.Second))) }
	tests := []struct {
		name     string
		t        time.Time
		wantQ    alpr.FixQuality
		wantTime time.Time
		wantPos  bool
		routeS   int // seconds along the route of the expected position
	}{
		{"driving", at(10.5), alpr.Fix3D, at(10), true, 10},
		{"RMC corrupted, GGA still places the car", at(5.2), alpr.Fix3D, at(5), true, 5},
		{"fix lost", at(25), alpr.FixNone, at(25), false, 0},
		{"DGPS from GN talker", at(35.9), alpr.FixDGPS, at(35), true, 35},
		{"3 s into the silence", at(47), alpr.FixDGPS, at(44), true, 44},
		{"more than 3 s into the silence", at(47.01), alpr.FixNone, time.Time{}, false, 0},
		{"after the silence", at(50), alpr.FixDGPS, at(50), true, 50},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := r.FixAt(tt.t)
			if got.Quality != tt.wantQ || !got.Time.Equal(tt.wantTime) {
				t.Fatalf("FixAt = %+v; want quality %v at %s", got, tt.wantQ, tt.wantTime)
			}
			if !tt.wantPos {
				if got.Lat != 0 || got.Lon != 0 {
					t.Errorf("FixAt = %+v; want no position", got)
				}
				return
			}
			p, _ := route.Position(time.Duration(tt.routeS) * time.Second)
			if !approx(got.Lat, p.Lat, 1e-6) || !approx(got.Lon, p.Lon, 1e-6) {
				t.Errorf("FixAt = %v,%v; want %v,%v", got.Lat, got.Lon, p.Lat, p.Lon)
			}
		})
	}

	lights := []struct {
		before time.Duration
		want   string
	}{
		{10 * time.Second, ""},
		{21 * time.Second, "no fix"},
		{31 * time.Second, ""},
		{50 * time.Second, "stale (6 s)"},
	}
	for _, l := range lights {
		if got, ok := seen[l.before]; !ok || got != l.want {
			t.Errorf("light just before %s = %q (recorded %v), want %q", l.before, got, ok, l.want)
		}
	}
}

func TestReplayLoops(t *testing.T) {
	path := filepath.Join(t.TempDir(), "two.nmea")
	var rec []byte
	for s := range 2 {
		rec = gps.AppendEpoch(rec, "GP", alpr.Fix{Lat: 37.95, Lon: -121.29, Time: sampleStart.Add(time.Duration(s) * time.Second), Quality: alpr.Fix3D, Satellites: 5})
	}
	if err := os.WriteFile(path, rec, 0o644); err != nil {
		t.Fatal(err)
	}
	c := newClock(sampleStart)
	src := gps.ReplayFile(path)
	src.Loop, src.Sleep, src.Speed = true, c.Sleep, 4
	r := gps.NewReceiver(gps.Options{Source: src, Now: c.Now, MinBackoff: time.Microsecond})
	start(t, r)
	waitFor(t, "three plays", 5*time.Second, func() bool { return r.Stats().Sentences >= 3*8 })
	if st := r.Stats(); st.Reopens < 2 || st.Garbage != 0 || st.BadChecksum != 0 {
		t.Errorf("stats = %+v; want at least 2 reopens and nothing rejected", st)
	}
	// Speed 4: each one-second step of the recording took a quarter of a second.
	if got := c.Now().Sub(sampleStart); got%(250*time.Millisecond) != 0 || got == 0 {
		t.Errorf("clock advanced %s; want a positive multiple of 250ms", got)
	}
}
