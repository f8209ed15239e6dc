package gps

import (
	"testing"
	"time"

	"patrol-alpr/alpr"
)

// BenchmarkDecode measures the cost of the whole receive path (scan, checksum, parse,
// assemble, publish) per sentence, to show it is nothing next to a 10 Hz receiver.
func BenchmarkDecode(b *testing.B) {
	at := time.Date(2025, 3, 14, 17, 0, 0, 0, time.UTC)
	epoch := AppendEpoch(nil, "GN", alpr.Fix{Lat: 37.9536, Lon: -121.2907, Time: at, Quality: alpr.Fix3D, Satellites: 9, HDOP: 0.9})
	r := NewReceiver(Options{Source: &UDP{}})
	b.SetBytes(int64(len(epoch)))
	b.ReportAllocs()
	for b.Loop() {
		r.mu.Lock()
		r.dec.feed(epoch, at)
		r.mu.Unlock()
	}
	b.ReportMetric(float64(4*b.N)/b.Elapsed().Seconds(), "sentences/s")
}
