package matcher

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"patrol-alpr/alpr"
)

// TestMatchAgreesWithBruteForce compares the index with a direct reading of the rules,
// over plates drawn from a small alphabet of look-alikes so that near matches, shared
// fingerprints buckets and runs of equal characters are common.
func TestMatchAgreesWithBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const alphabet = "08BOD1ITAX5S"
	plate := func() string {
		b := make([]byte, 3+rng.IntN(5))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		return string(b)
	}
	lists := []alpr.HotList{
		{Name: "E", Tolerance: alpr.Exact, Priority: 1},
		{Name: "L", Tolerance: alpr.LookAlike, Priority: 2},
		{Name: "I", Tolerance: alpr.LookAlikeOrIndel, Priority: 3},
	}
	var entries []alpr.HotEntry
	for i := range 1500 {
		e := alpr.HotEntry{ID: int64(i + 1), List: lists[rng.IntN(3)].Name, Plate: plate()}
		if rng.IntN(5) == 0 {
			e.ExpiresAt = t0.Add(time.Duration(rng.IntN(3)-1) * time.Hour)
		}
		entries = append(entries, e)
	}
	ix := NewIndex(lists, entries)
	tol := map[string]alpr.Tolerance{"E": alpr.Exact, "L": alpr.LookAlike, "I": alpr.LookAlikeOrIndel}
	for range 600 {
		q := Query{Plate: plate(), At: t0, Alternates: []alpr.Alternate{{Plate: plate()}, {Plate: plate()}}}
		var want []int64
		for _, e := range entries {
			if e.Expired(q.At) {
				continue
			}
			reads := []string{q.Plate}
			if tol[e.List] > alpr.Exact {
				reads = append(reads, q.Alternates[0].Plate, q.Alternates[1].Plate)
			}
			for _, r := range reads {
				if bruteMatch(r, e.Plate, tol[e.List]) {
					want = append(want, e.ID)
					break
				}
			}
		}
		var got []int64
		for _, m := range ix.Match(q) {
			got = append(got, m.Entry.ID)
		}
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Fatalf("Match(%q alternates %q %q) = ids %v, want %v", q.Plate, q.Alternates[0].Plate, q.Alternates[1].Plate, got, want)
		}
	}
}

// bruteMatch applies the tolerance rules to one pair of plates, directly.
func bruteMatch(read, listed string, tol alpr.Tolerance) bool {
	if read == listed {
		return true
	}
	canon := func(s string) string { return string(appendCanonical(nil, []byte(s))) }
	if tol >= alpr.LookAlike && canon(read) == canon(listed) {
		return true
	}
	if tol < alpr.LookAlikeOrIndel {
		return false
	}
	long, short := canon(read), canon(listed)
	if len(long) < len(short) {
		long, short = short, long
	}
	if len(long) != len(short)+1 || len(short) < MinIndelLen {
		return false
	}
	for d := range long {
		if long[:d]+long[d+1:] == short {
			return true
		}
	}
	return false
}
