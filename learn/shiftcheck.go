package learn

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"patrol-alpr/wire"
)

// ShiftCheck asks the server which detections of the operator's shift it holds (III.C.7).
func (c Client) ShiftCheck(ctx context.Context, operator string, from time.Time) (wire.ShiftCheck, error) {
	var out wire.ShiftCheck
	q := url.Values{"operator": {operator}, "from": {from.UTC().Format(time.RFC3339Nano)}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.BaseURL+wire.ShiftCheckPath+"?"+q.Encode(), nil)
	if err != nil {
		return out, err
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return out, fmt.Errorf("shift check: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return out, fmt.Errorf("shift check: %w: %s %s", ErrServer, resp.Status, msg)
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 64<<20)).Decode(&out); err != nil {
		return out, fmt.Errorf("shift check: read reply: %w", err)
	}
	return out, nil
}

// ShiftCheckResult compares the car's detections of a shift with the server's.
type ShiftCheckResult struct {
	Local   int // detections of the shift in the car
	Missing int // of those, not on the server
	Queued  int // of the missing, still in the outbox (the rest were lost: report it)
}

// Compare counts what the server lacks of local, and how much of that is still queued.
func Compare(local, server, queued []string) ShiftCheckResult {
	onServer := make(map[string]bool, len(server))
	for _, u := range server {
		onServer[u] = true
	}
	inQueue := make(map[string]bool, len(queued))
	for _, u := range queued {
		inQueue[u] = true
	}
	r := ShiftCheckResult{Local: len(local)}
	for _, u := range local {
		if !onServer[u] {
			r.Missing++
			if inQueue[u] {
				r.Queued++
			}
		}
	}
	return r
}

// String says the result as the officer reads it.
func (r ShiftCheckResult) String() string {
	if r.Missing == 0 {
		return fmt.Sprintf("all %d detections of this shift are on the server", r.Local)
	}
	return fmt.Sprintf("%d of %d detections missing from the server (%d still queued to send)", r.Missing, r.Local, r.Queued)
}
