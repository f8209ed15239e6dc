package alpr

import "testing"

func TestDetectionDoubtful(t *testing.T) {
	cases := []struct {
		conf float64
		want bool
	}{
		{0, false}, // not given: unknown, not doubt
		{0.06, true},
		{0.62, true},
		{DoubtfulBelow - 0.001, true},
		{DoubtfulBelow, false},
		{0.97, false},
	}
	for _, tc := range cases {
		if got := (Detection{Confidence: tc.conf}).Doubtful(); got != tc.want {
			t.Errorf("Doubtful() at confidence %v = %v, want %v", tc.conf, got, tc.want)
		}
	}
}
