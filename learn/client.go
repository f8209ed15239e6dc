package learn

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// SyncPath is where the server accepts outbox batches.
const SyncPath = "/api/v1/sync"

// Item is one outbox record as sent to the server.
type Item struct {
	Key       string          `json:"key"` // idempotency key: the record's UUID
	Seq       int64           `json:"seq"` // the car's outbox order, for the server's report of gaps
	Kind      string          `json:"kind"`
	CreatedAt time.Time       `json:"created_at"`
	Payload   json.RawMessage `json:"payload"`
}

// Batch is the body of one sync request.
type Batch struct {
	Vehicle string `json:"vehicle"`
	Items   []Item `json:"items"`
}

// Reply is the server's answer: the keys it now holds (new or seen before).
type Reply struct {
	Stored []string `json:"stored"`
}

// ErrServer means the server answered but refused the batch.
var ErrServer = errors.New("server refused the batch")

// Client speaks to one LEARN server.
type Client struct {
	BaseURL string
	HTTP    *http.Client
}

// Send posts a batch and returns the keys the server stored.
func (c Client) Send(ctx context.Context, b Batch) ([]string, error) {
	body, err := json.Marshal(b)
	if err != nil {
		return nil, fmt.Errorf("encode batch: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.BaseURL+SyncPath, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("build sync request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	hc := c.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 20 * time.Second}
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("send %d items to %s: %w", len(b.Items), c.BaseURL, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return nil, fmt.Errorf("send %d items to %s: %w: %s %s", len(b.Items), c.BaseURL, ErrServer, resp.Status, bytes.TrimSpace(msg))
	}
	var r Reply
	if err := json.NewDecoder(io.LimitReader(resp.Body, 16<<20)).Decode(&r); err != nil {
		return nil, fmt.Errorf("read reply from %s: %w", c.BaseURL, err)
	}
	return r.Stored, nil
}
