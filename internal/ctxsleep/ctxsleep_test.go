package ctxsleep

import (
	"context"
	"testing"
	"time"
)

func TestSleep(t *testing.T) {
	done, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		d    time.Duration
		want bool
	}{
		{"waits out a live context", context.Background(), time.Millisecond, true},
		{"no wait, live", context.Background(), 0, true},
		{"no wait, ended", done, 0, false},
		{"ended before the wait", done, time.Hour, false},
	}
	for _, tc := range tests {
		if got := Sleep(tc.ctx, tc.d); got != tc.want {
			t.Errorf("%s: Sleep = %v, want %v", tc.name, got, tc.want)
		}
	}
}
