package loadtest

import (
	"bytes"
	"io"
	"net/http"
	"time"
)

// timedTransport measures a request from the moment it is handed to the connection (the
// batch already encoded) to the last byte of the reply: the acknowledgement latency the
// server is answerable for, without the car's own encoding time.
type timedTransport struct {
	next http.RoundTripper
	last time.Duration // of the latest request; read by the car's goroutine after Send returns
}

func (t *timedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := t.next.RoundTrip(r)
	if err != nil {
		t.last = time.Since(start)
		return resp, err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	resp.Body.Close()
	t.last = time.Since(start)
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}

// CloseIdleConnections passes on to the real transport, so that http.Client's works.
func (t *timedTransport) CloseIdleConnections() {
	if c, ok := t.next.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}
