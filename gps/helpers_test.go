package gps_test

import (
	"context"
	"fmt"
	"io"
	"patrol-alpr/internal/testclock"
	"runtime"
	"strings"
	"testing"
	"time"

	"patrol-alpr/gps"
)

// sentence frames body as an NMEA sentence, computing the checksum independently of the
// package under test.
func sentence(body string) string {
	var sum byte
	for i := 0; i < len(body); i++ {
		sum ^= body[i]
	}
	return fmt.Sprintf("$%s*%02X\r\n", body, sum)
}

// clock is a simulated local clock. Sleep advances it instead of waiting, so a paced
// replay runs instantly with receive times exactly as they would have been.
type clock = testclock.Clock

func newClock(t time.Time) *clock { return testclock.New(t) }

// replay runs a Receiver over input to the end on c, and returns it.
func replay(t *testing.T, input string, c *clock) *gps.Receiver {
	t.Helper()
	src := gps.ReplayReader(t.Name(), strings.NewReader(input))
	src.Sleep = c.Sleep
	r := gps.NewReceiver(gps.Options{Source: src, Now: c.Now, MinBackoff: time.Microsecond})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := r.Run(ctx); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if ctx.Err() != nil {
		t.Fatal("Run did not return when the replay ended")
	}
	return r
}

// start runs r until the test ends, then checks Run returned and left nothing running.
func start(t *testing.T, r *gps.Receiver) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("Run did not return after cancel")
		}
		checkNoLeaks(t)
	})
}

// checkNoLeaks fails if goroutines of this package or of the serial library outlive the
// test (go.uber.org/goleak would do this; it is not a dependency of the module).
func checkNoLeaks(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for {
		var leaked []string
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		for _, g := range strings.Split(string(buf), "\n\n") {
			if strings.Contains(g, "testing.tRunner") || strings.Contains(g, "checkNoLeaks") {
				continue
			}
			if strings.Contains(g, "patrol-alpr/gps.") || strings.Contains(g, "go.bug.st/serial") {
				leaked = append(leaked, g)
			}
		}
		if len(leaked) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutine(s) leaked:\n%s", len(leaked), strings.Join(leaked, "\n\n"))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// waitFor polls cond until it holds or the timeout passes; real serial and UDP I/O give
// no other signal that the receiver has read what was sent.
func waitFor(t *testing.T, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// pipeSource is an in-memory stream the test writes NMEA into, one Open only.
type pipeSource struct {
	r *io.PipeReader
	w *io.PipeWriter
}

func newPipeSource() *pipeSource {
	r, w := io.Pipe()
	return &pipeSource{r: r, w: w}
}

func (p *pipeSource) Open(ctx context.Context) (io.ReadCloser, error) { return p.r, nil }
func (p *pipeSource) String() string                                  { return "pipe" }
