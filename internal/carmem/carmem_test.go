package carmem

import (
	"os"
	"runtime/debug"
	"testing"
)

func TestLimitArenas(t *testing.T) {
	if err := LimitArenas(0); err == nil {
		t.Error("LimitArenas(0) succeeded, want an error")
	}
	if err := LimitArenas(2); err != nil {
		t.Errorf("LimitArenas(2): %v", err)
	}
}

func TestApply(t *testing.T) {
	for _, tc := range []struct {
		name, gogc string
		want       int
	}{
		{"unset", "", GCPercent},
		{"the environment wins", "75", 75},
	} {
		t.Run(tc.name, func(t *testing.T) {
			old := debug.SetGCPercent(75) // as the runtime would have read GOGC=75
			defer debug.SetGCPercent(old)
			if tc.gogc != "" {
				t.Setenv("GOGC", tc.gogc)
			} else {
				t.Setenv("GOGC", "")
				unsetenv(t, "GOGC")
			}
			if err := Apply(); err != nil {
				t.Fatal(err)
			}
			if got := debug.SetGCPercent(old); got != tc.want {
				t.Errorf("GC percent %d after Apply, want %d", got, tc.want)
			}
		})
	}
}

// unsetenv removes k for the rest of the test (t.Setenv first, so that the
// test restores it).
func unsetenv(t *testing.T, k string) {
	t.Helper()
	if err := os.Unsetenv(k); err != nil {
		t.Fatal(err)
	}
}
