package gps_test

import (
	"net"
	"strings"
	"testing"
	"time"

	"patrol-alpr/alpr"
	"patrol-alpr/gps"
)

func TestUDP(t *testing.T) {
	src := &gps.UDP{Addr: "127.0.0.1:0"}
	r := gps.NewReceiver(gps.Options{Source: src})
	start(t, r)
	waitFor(t, "the listener", 5*time.Second, func() bool { return src.LocalAddr() != nil })
	conn, err := net.Dial("udp", src.LocalAddr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()

	fix := alpr.Fix{Lat: 37.9578, Lon: -121.2907, Time: time.Now(), Quality: alpr.FixDGPS, Satellites: 12, HDOP: 0.6}
	datagrams := []string{
		// A modem's usual datagram: a whole epoch.
		string(gps.AppendEpoch(nil, "GP", fix)),
		// Half a sentence: the next datagram must not complete it.
		"$GPRMC,170000.00,A,3757",
		// Two sentences with no newline at the end of the datagram.
		sentence("GPGSV,1,1,01,03,03,111,00") + strings.TrimSpace(sentence("GPGSV,1,1,01,04,03,111,00")),
	}
	var sent uint64
	for _, d := range datagrams {
		if _, err := conn.Write([]byte(d)); err != nil {
			t.Fatal(err)
		}
		sent += uint64(len(d)) + 1 // the receiver ends a datagram without a newline with one
	}
	sent-- // the first datagram already ended with CRLF
	waitFor(t, "the datagrams", 5*time.Second, func() bool { return r.Stats().Bytes >= sent })

	got, _ := r.Current()
	if !approx(got.Lat, fix.Lat, 1e-6) || !approx(got.Lon, fix.Lon, 1e-6) || got.Quality != alpr.FixDGPS || got.Satellites != 12 {
		t.Errorf("fix over UDP = %+v, want DGPS at %v,%v with 12 satellites", got, fix.Lat, fix.Lon)
	}
	if ok, why := r.Status(time.Now()); !ok {
		t.Errorf("Status = false, %q; want green", why)
	}
	want := gps.Stats{Bytes: sent, Sentences: 4, Unsupported: 2, Garbage: 1}
	if st := r.Stats(); st != want {
		t.Errorf("stats = %+v, want %+v", st, want)
	}
}

func TestUDPAddressInUse(t *testing.T) {
	taken, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	r := gps.NewReceiver(gps.Options{Source: &gps.UDP{Addr: taken.LocalAddr().String()}, MinBackoff: time.Millisecond})
	start(t, r)
	waitFor(t, "the listen to fail", 5*time.Second, func() bool { return r.Err() != nil })
	if ok, why := r.Status(time.Now()); ok || why != "no port" {
		t.Errorf("Status = %v, %q; want false, \"no port\"", ok, why)
	}
}
