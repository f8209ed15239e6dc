package learn

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"patrol-alpr/wire"
)

// EventStream listens to the server's events for this car (network hits, III.C.5.b) and
// reconnects after a drop, asking with Last-Event-ID for what it missed: the server replays
// the events of the last half hour after that id, so each arrives once.
type EventStream struct {
	Client       Client
	OnNetworkHit func(id int64, h wire.NetworkHit) // called in order, from Run's goroutine
	MinBackoff   time.Duration                     // first wait after a drop; default 1 s
	MaxBackoff   time.Duration                     // default 1 min

	mu        sync.Mutex
	last      int64
	connected bool
	lastErr   error
}

// LastID is the id of the last event received.
func (s *EventStream) LastID() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last
}

// Connected reports whether the stream is open now, and the last error when it is not.
func (s *EventStream) Connected() (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.connected, s.lastErr
}

// Run listens until ctx ends.
func (s *EventStream) Run(ctx context.Context) error {
	lo, hi := s.MinBackoff, s.MaxBackoff
	if lo <= 0 {
		lo = time.Second
	}
	if hi <= 0 {
		hi = time.Minute
	}
	wait := lo
	for {
		got, err := s.listen(ctx)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		s.mu.Lock()
		s.connected, s.lastErr = false, err
		s.mu.Unlock()
		if got {
			wait = lo
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
		wait = min(wait*2, hi)
	}
}

// listen reads one connection until it drops; got says whether it was opened.
func (s *EventStream) listen(ctx context.Context) (got bool, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.Client.BaseURL+wire.EventsPath, nil)
	if err != nil {
		return false, err
	}
	req.Header.Set("Accept", "text/event-stream")
	if last := s.LastID(); last > 0 {
		req.Header.Set("Last-Event-ID", strconv.FormatInt(last, 10))
	}
	hc := &http.Client{} // no timeout: the stream stays open
	if s.Client.HTTP != nil {
		hc.Transport = s.Client.HTTP.Transport
	}
	resp, err := hc.Do(req)
	if err != nil {
		return false, fmt.Errorf("open event stream: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return false, fmt.Errorf("open event stream: %w: %s", ErrServer, resp.Status)
	}
	s.mu.Lock()
	s.connected, s.lastErr = true, nil
	s.mu.Unlock()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 8<<20)
	var id int64
	var event string
	var data strings.Builder
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if data.Len() > 0 {
				s.dispatch(id, event, data.String())
			}
			id, event = 0, ""
			data.Reset()
		case strings.HasPrefix(line, ":"): // keep-alive
		case strings.HasPrefix(line, "id: "):
			id, _ = strconv.ParseInt(strings.TrimPrefix(line, "id: "), 10, 64)
		case strings.HasPrefix(line, "event: "):
			event = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			data.WriteString(strings.TrimPrefix(line, "data: "))
		}
	}
	if err := sc.Err(); err != nil && !errors.Is(err, context.Canceled) {
		return true, fmt.Errorf("event stream dropped: %w", err)
	}
	return true, errors.New("event stream closed by the server")
}

func (s *EventStream) dispatch(id int64, event, data string) {
	s.mu.Lock()
	if id <= s.last {
		s.mu.Unlock()
		return
	}
	s.last = id
	s.mu.Unlock()
	if event == wire.EventNetworkHit && s.OnNetworkHit != nil {
		var h wire.NetworkHit
		if err := json.Unmarshal([]byte(data), &h); err == nil {
			s.OnNetworkHit(id, h)
		}
	}
}

// SetLastID sets where the stream resumes, as after a restart with the id kept.
func (s *EventStream) SetLastID(id int64) {
	s.mu.Lock()
	s.last = id
	s.mu.Unlock()
}
