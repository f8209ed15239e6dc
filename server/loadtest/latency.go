package loadtest

import (
	"slices"
	"time"
)

// percentile is the q-quantile (0 ≤ q ≤ 1) of sorted samples, nearest rank; 0 without samples.
func percentile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted))+0.999999) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// sortedCopy returns the samples sorted, leaving the input alone.
func sortedCopy(d []time.Duration) []time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s
}

// ms is a duration in whole milliseconds, rounded up so that a p99 of 200.4 ms reads 201.
func ms(d time.Duration) int64 { return int64((d + time.Millisecond - 1) / time.Millisecond) }
