package matcher

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
	"time"

	"patrol-alpr/alpr"
)

// ncicLike makes n made-up entries shaped like an NCIC extract: plates of five to eight
// characters in the common US patterns, states, codes and vehicle descriptions.
func ncicLike(n int, seed uint64) []alpr.HotEntry {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	const letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
	const digits = "0123456789"
	patterns := []string{"9LLL999", "LLL9999", "999LLL", "LLL999", "9LLLL99", "LL99999", "L999LL9"}
	codes := []struct{ code, reason string }{{"V", "stolen vehicle"}, {"P", "stolen plate"}, {"W", "wanted person"}, {"F", "felony"}}
	states := []string{"CA", "NV", "OR", "AZ", "TX", "WA"}
	makes := []string{"TOYT", "HOND", "FORD", "CHEV", "NISS"}
	out := make([]alpr.HotEntry, n)
	buf := make([]byte, 0, 8)
	for i := range out {
		buf = buf[:0]
		for _, c := range patterns[rng.IntN(len(patterns))] {
			if c == 'L' {
				buf = append(buf, letters[rng.IntN(len(letters))])
			} else {
				buf = append(buf, digits[rng.IntN(len(digits))])
			}
		}
		c := codes[rng.IntN(len(codes))]
		out[i] = alpr.HotEntry{
			List: "NCIC", Plate: string(buf), State: states[rng.IntN(len(states))], Code: c.code, Reason: c.reason,
			NCICNumber: fmt.Sprintf("V%09d", i), VehicleYear: fmt.Sprint(1995 + rng.IntN(31)),
			VehicleMake: makes[rng.IntN(len(makes))], VehicleColor: "BLK",
			EnteredAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(rng.IntN(300*24)) * time.Hour),
		}
	}
	return out
}

// bigLists is a car's lists at NCIC scale: the NCIC extract (too large for indels, see
// MaxIndelEntries, so matched with look-alikes) and a local list small enough for them.
var bigLists = []alpr.HotList{
	{Name: "NCIC", Kind: alpr.General, Priority: 5, Tolerance: alpr.LookAlikeOrIndel},
	{Name: "LOCAL", Kind: alpr.Special, Priority: 3, Tolerance: alpr.LookAlikeOrIndel},
}

// bigEntries is a million NCIC entries and fifty thousand on the local list.
func bigEntries() []alpr.HotEntry {
	entries := ncicLike(1_050_000, 1)
	for i := 1_000_000; i < len(entries); i++ {
		entries[i].List = "LOCAL"
	}
	return entries
}

func heapBytes() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// BenchmarkLoad1M builds the index of bigLists and reports the heap it keeps (MB) and
// the CPU time a build takes, garbage collection included (cpu-ms/op).
func BenchmarkLoad1M(b *testing.B) {
	entries := bigEntries()
	var ix *Index
	cpu0, cpuOK := processCPU()
	for b.Loop() {
		ix = nil
		ix = NewIndex(bigLists, entries)
	}
	b.StopTimer()
	if cpu1, ok := processCPU(); ok && cpuOK {
		b.ReportMetric(float64((cpu1-cpu0).Milliseconds())/float64(b.N), "cpu-ms/op")
	}
	// Measure what the index keeps: build one more with nothing else alive but the input.
	ix = nil
	before := heapBytes()
	ix = NewIndex(bigLists, entries)
	after := heapBytes()
	b.ReportMetric(float64(after-before)/1e6, "MB")
	runtime.KeepAlive(ix)
	runtime.KeepAlive(entries)
}

// BenchmarkMatch1M matches reads against bigLists: a mix of plates on the lists,
// look-alikes and indels of listed plates, and plates not listed, each with three
// alternates. It reports the 99th percentile of one Match call (p99-us).
func BenchmarkMatch1M(b *testing.B) {
	entries := bigEntries()
	ix := NewIndex(bigLists, entries)
	queries := benchQueries(entries, 4096)
	// The manager drops parsed entries once indexed; keeping 300 MB of them alive here
	// would make every garbage collection during the benchmark scan them.
	entries = nil
	runtime.GC()
	var lat []time.Duration
	hits := 0
	i := 0
	cpu0, cpuOK := processCPU()
	for b.Loop() {
		q := queries[i%len(queries)]
		i++
		start := time.Now()
		m := ix.Match(q)
		lat = append(lat, time.Since(start))
		hits += len(m)
	}
	b.StopTimer()
	if hits == 0 {
		b.Fatal("no read hit: the benchmark is not exercising matching")
	}
	b.ReportMetric(p99(lat), "p99-us")
	// The average CPU time of a Match (the loop's, timers included), beside wall time:
	// on a shared machine wall time includes waiting for a core.
	if cpu1, ok := processCPU(); ok && cpuOK {
		b.ReportMetric(float64((cpu1-cpu0).Nanoseconds())/float64(b.N)/1e3, "cpu-us/op")
	}
}

func benchQueries(entries []alpr.HotEntry, n int) []Query {
	rng := rand.New(rand.NewPCG(7, 11))
	swap := map[byte]byte{'8': 'B', 'B': '8', '0': 'O', 'O': '0', '1': 'I', 'I': '1', '5': 'S', 'S': '5', '2': 'Z', 'Z': '2', '6': 'G', 'G': '6'}
	lookAlike := func(p string) string {
		b := []byte(p)
		for i, c := range b {
			if s, ok := swap[c]; ok {
				b[i] = s
				break
			}
		}
		return string(b)
	}
	out := make([]Query, n)
	for i := range out {
		e := entries[rng.IntN(len(entries))]
		var best string
		switch i % 4 {
		case 0: // listed
			best = e.Plate
		case 1: // look-alike of a listed plate
			best = lookAlike(e.Plate)
		case 2: // a character dropped
			d := rng.IntN(len(e.Plate))
			best = e.Plate[:d] + e.Plate[d+1:]
		default: // most reads are of plates on no list
			best = ncicLike(1, uint64(1000+i))[0].Plate
		}
		out[i] = Query{
			Plate: best, State: "CA", At: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC),
			Alternates: []alpr.Alternate{{Plate: lookAlike(best)}, {Plate: best + "1"}, {Plate: best[1:]}},
		}
	}
	return out
}

// p99 returns the 99th percentile of ds in microseconds.
func p99(ds []time.Duration) float64 {
	slices.Sort(ds)
	return float64(ds[len(ds)*99/100].Nanoseconds()) / 1e3
}
