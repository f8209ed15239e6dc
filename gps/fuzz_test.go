package gps

import (
	"bytes"
	"context"
	"io"
	"testing"
	"time"

	"patrol-alpr/alpr"
)

// chunkReader returns data in pieces whose sizes cycle through sizes, as a serial port
// returns whatever has arrived.
type chunkReader struct {
	data  []byte
	sizes []byte
	i     int
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	n := 1 + int(c.sizes[c.i%len(c.sizes)])
	c.i++
	n = min(n, len(p), len(c.data))
	copy(p, c.data[:n])
	c.data = c.data[n:]
	return n, nil
}

func FuzzReader(f *testing.F) {
	at := time.Date(2025, 3, 14, 17, 0, 0, 0, time.UTC)
	good := AppendEpoch(nil, "GN", alpr.Fix{Lat: 37.9536, Lon: -121.2907, Time: at, Quality: alpr.Fix3D, Satellites: 9, HDOP: 0.9})
	f.Add(good, []byte{3})
	f.Add(append([]byte("\x00\xff$GPRMC,1$GPGGA,*00\r\n$$$**\n"), good...), []byte{0, 7, 200})
	f.Add([]byte("$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A\r\n"), []byte{1})
	f.Add(bytes.Repeat([]byte("A"), 1000), []byte{255})
	f.Add([]byte("$GPGGA,123519,NaN,N,Inf,W,1,-1,1e999,5.0,M,,M,,*00\n"), []byte{5})

	f.Fuzz(func(t *testing.T, data, sizes []byte) {
		if len(sizes) == 0 {
			sizes = []byte{0}
		}
		now := func() time.Time { return at }
		read := func(r io.Reader) *Receiver {
			rc := NewReceiver(Options{Source: &UDP{}, Now: now, History: time.Second})
			rc.readStream(context.Background(), io.NopCloser(r))
			return rc
		}
		whole := read(bytes.NewReader(data))
		pieces := read(&chunkReader{data: data, sizes: sizes})

		st := whole.Stats()
		if st != pieces.Stats() {
			t.Fatalf("stats depend on how the bytes were cut: whole %+v, in pieces %+v", st, pieces.Stats())
		}
		if st.Bytes != uint64(len(data)) {
			t.Fatalf("Bytes = %d, read %d", st.Bytes, len(data))
		}
		if dollars := uint64(bytes.Count(data, []byte("$"))); st.Sentences+st.Unsupported+st.BadChecksum > dollars {
			t.Fatalf("%+v: more sentences than '$' (%d)", st, dollars)
		}
		if st.Records() > st.Bytes {
			t.Fatalf("%+v: more records than bytes", st)
		}
		f1, at1 := whole.Current()
		f2, at2 := pieces.Current()
		if f1 != f2 || !at1.Equal(at2) {
			t.Fatalf("fix depends on how the bytes were cut: %+v vs %+v", f1, f2)
		}
		if f1.Valid() && (f1.Lat < -90 || f1.Lat > 90 || f1.Lon < -180 || f1.Lon > 180 || !finite(f1.Lat, f1.Lon, f1.SpeedMS, f1.Heading, f1.HDOP)) {
			t.Fatalf("impossible fix %+v", f1)
		}

		// Whatever came before, a good epoch after a line break is read in full.
		after := read(io.MultiReader(bytes.NewReader(data), bytes.NewReader([]byte("\n")), bytes.NewReader(good)))
		if got := after.Stats().Sentences - st.Sentences; got != 4 {
			t.Fatalf("a good epoch after the input added %d sentences, want 4 (%+v)", got, after.Stats())
		}
		if fix, _ := after.Current(); fix.Quality != alpr.Fix3D || fix.Lat < 37.9535 || fix.Lat > 37.9537 || !fix.Time.Equal(at) {
			t.Fatalf("fix after a good epoch = %+v", fix)
		}
	})
}
