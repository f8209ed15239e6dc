// Package ctxsleep is the one way the car's goroutines wait: for a duration, or until their
// context ends, whichever is first.
package ctxsleep

import (
	"context"
	"time"
)

// Sleep waits for d or until ctx is done, reporting whether to go on (ctx still live).
func Sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
