package pgcluster

import (
	"io"
	"strings"
	"sync"
)

// drain copies postgres's output to log until every postgres process has closed it. A failing
// log writer must not stop the copying: postgres would block writing to a full pipe.
func drain(r io.ReadCloser, log io.Writer, tail *tailBuffer, done chan<- struct{}) {
	defer close(done)
	defer r.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			tail.Write(buf[:n])
			_, _ = log.Write(buf[:n])
		}
		if err != nil {
			return
		}
	}
}

// tailBuffer keeps the last few kilobytes written to it, to explain a failed start.
type tailBuffer struct {
	mu  sync.Mutex
	buf []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - 4096; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) lastLines(n int) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return lastLines(t.buf, n)
}

// lastLines joins the last n non-empty lines of out into one line for an error message.
func lastLines(out []byte, n int) string {
	var lines []string
	for _, l := range strings.Split(string(out), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " / ")
}
