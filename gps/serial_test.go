package gps_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"

	"patrol-alpr/alpr"
	"patrol-alpr/gps"
)

// plug makes a pseudo-terminal pair and points link at its slave end, as udev points
// /dev/serial/by-id/... at whichever ttyUSBn the puck got. The test plays the GPS on the
// master end; the receiver opens link through go.bug.st/serial like a real port.
func plug(t *testing.T, link string) (master, slave *os.File) {
	t.Helper()
	master, slave, err := pty.Open()
	if err != nil {
		t.Fatalf("open pty: %v", err)
	}
	t.Cleanup(func() { master.Close(); slave.Close() })
	_ = os.Remove(link)
	if err := os.Symlink(slave.Name(), link); err != nil {
		t.Fatalf("link %s -> %s: %v", link, slave.Name(), err)
	}
	return master, slave
}

// talk writes an epoch at lat, lon into the master every 50 ms until the context ends or
// the write fails (the pty was unplugged); the returned channel closes when it stops.
func talk(ctx context.Context, master *os.File, lat, lon float64) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			fix := alpr.Fix{Lat: lat, Lon: lon, Time: time.Now(), Quality: alpr.Fix3D, Satellites: 8, HDOP: 1.1, SpeedMS: 10, Heading: 45}
			if _, err := master.Write(gps.AppendEpoch(nil, "GN", fix)); err != nil {
				return
			}
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	}()
	return done
}

func TestSerialUnplugAndReplug(t *testing.T) {
	link := filepath.Join(t.TempDir(), "ttyGPS")
	master, slave := plug(t, link)
	r := gps.NewReceiver(gps.Options{Source: gps.Serial{Port: link, Baud: 9600}, StaleAfter: time.Second, MinBackoff: 10 * time.Millisecond, MaxBackoff: 100 * time.Millisecond})
	start(t, r)

	// Write only once the receiver has the port in raw mode; before that the pty would
	// echo and cook the bytes like a terminal.
	waitFor(t, "the port to open", 5*time.Second, func() bool { _, why := r.Status(time.Now()); return why == "no data" })
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	talking := talk(ctx, master, 37.95360, -121.29070)
	waitFor(t, "a fix over serial", 5*time.Second, func() bool { ok, _ := r.Status(time.Now()); return ok })
	if fix, _ := r.Current(); !approx(fix.Lat, 37.95360, 1e-6) || !approx(fix.Lon, -121.29070, 1e-6) || fix.Quality != alpr.Fix3D {
		t.Fatalf("fix over serial = %+v, want 3D at 37.95360,-121.29070", fix)
	}

	// Unplug: the device node goes away and the line hangs up.
	if err := os.Remove(link); err != nil {
		t.Fatal(err)
	}
	master.Close()
	slave.Close()
	<-talking
	waitFor(t, "the light to say the port is gone", 5*time.Second, func() bool { _, why := r.Status(time.Now()); return why == "no port" })
	before := r.Stats().Reopens
	waitFor(t, "a retry while unplugged", 5*time.Second, func() bool { return r.Stats().Reopens > before })

	// Re-plug: a new tty under the same name, the car now elsewhere.
	master2, _ := plug(t, link)
	// Until the new puck talks, the light shows how old the last fix is.
	waitFor(t, "the port to reopen", 5*time.Second, func() bool { _, why := r.Status(time.Now()); return strings.HasPrefix(why, "stale (") })
	talking = talk(ctx, master2, 37.96240, -121.28280)
	waitFor(t, "the fix to resume", 5*time.Second, func() bool {
		fix, _ := r.Current()
		ok, _ := r.Status(time.Now())
		return ok && approx(fix.Lat, 37.96240, 1e-6) && approx(fix.Lon, -121.28280, 1e-6)
	})
	stop()
	<-talking
	if st := r.Stats(); st.Sentences == 0 || st.BadChecksum != 0 {
		t.Errorf("stats = %+v; want sentences and no bad checksums on a clean line", st)
	}
}

func TestSerialGarbageAtWrongBaud(t *testing.T) {
	// Bytes sent at the wrong rate arrive as noise with the high bit set and no '$';
	// the receiver must count them and stay at "no data" rather than invent a fix.
	link := filepath.Join(t.TempDir(), "ttyGPS")
	master, _ := plug(t, link)
	r := gps.NewReceiver(gps.Options{Source: gps.Serial{Port: link, Baud: 4800}})
	start(t, r)
	waitFor(t, "the port to open", 5*time.Second, func() bool { _, why := r.Status(time.Now()); return why == "no data" })
	noise := []byte{0xf8, 0x80, 0xe6, 0x1e, 0x98, 0x00, 0xfe, '\n', 0x86, 0x9e, 0xe0, '\r', '\n'}
	if _, err := master.Write(noise); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the noise to be read", 5*time.Second, func() bool { return r.Stats().Bytes == uint64(len(noise)) })
	if st := r.Stats(); st.Garbage != 2 || st.Sentences != 0 {
		t.Errorf("stats = %+v; want 2 garbage runs, no sentences", st)
	}
	if ok, why := r.Status(time.Now()); ok || why != "no data" {
		t.Errorf("Status = %v, %q; want false, \"no data\"", ok, why)
	}
}
