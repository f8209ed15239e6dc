package learn

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"patrol-alpr/wire"
)

// SyncPath is where the server accepts outbox batches.
const SyncPath = wire.SyncPath

// Batch, Item and Reply are the protocol's, named here for the car's code.
type (
	Batch = wire.Batch
	Item  = wire.Item
	Reply = wire.Reply
)

// ErrServer means the server answered but refused the batch.
var ErrServer = errors.New("server refused the batch")

// BusyError is a server's "not now" (503 or 429): the batch was not stored, and the server
// asks the car to wait RetryAfter before trying again.
type BusyError struct {
	Status     int
	RetryAfter time.Duration
}

func (e *BusyError) Error() string {
	return fmt.Sprintf("server busy (%d); retry in %s", e.Status, e.RetryAfter)
}

// Client speaks to one LEARN server.
type Client struct {
	BaseURL string
	HTTP    *http.Client
}

// NewClient is a client for the server at baseURL presenting the car's certificate from
// tlsConfig (see LoadBundle); nil tlsConfig uses the system's defaults.
func NewClient(baseURL string, tlsConfig *tls.Config) Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = tlsConfig
	tr.ForceAttemptHTTP2 = true
	return Client{BaseURL: baseURL, HTTP: &http.Client{Transport: tr, Timeout: 60 * time.Second}}
}

// Send posts a batch and returns the keys the server stored.
func (c Client) Send(ctx context.Context, b Batch) ([]string, error) {
	body, err := wire.MarshalBatch(b)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.BaseURL+SyncPath, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("build sync request: %w", err)
	}
	req.Header.Set("Content-Type", wire.BatchContentType)
	hc := c.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 60 * time.Second}
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("send %d items to %s: %w", len(b.Items), c.BaseURL, err)
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusServiceUnavailable, http.StatusTooManyRequests:
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
		return nil, &BusyError{Status: resp.StatusCode, RetryAfter: retryAfter(resp.Header.Get("Retry-After"))}
	default:
		var p wire.Problem
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		if json.Unmarshal(msg, &p) != nil || p.Error == "" {
			p.Error = string(bytes.TrimSpace(msg))
		}
		return nil, fmt.Errorf("send %d items to %s: %w: %s: %s", len(b.Items), c.BaseURL, ErrServer, resp.Status, p.Error)
	}
	var r Reply
	if err := json.NewDecoder(io.LimitReader(resp.Body, 16<<20)).Decode(&r); err != nil {
		return nil, fmt.Errorf("read reply from %s: %w", c.BaseURL, err)
	}
	return r.Stored, nil
}

// retryAfter reads a Retry-After in seconds (the form our server sends), within bounds.
func retryAfter(h string) time.Duration {
	s, err := strconv.Atoi(h)
	if err != nil || s < 1 {
		return time.Second
	}
	d := time.Duration(s) * time.Second
	return min(d, wire.RetryAfterMax)
}
